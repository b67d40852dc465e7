import { useTranslation } from 'react-i18next';

interface SelectFieldProps extends React.SelectHTMLAttributes<HTMLSelectElement> {
  name: string;
  label: string;
  options: { value: string; label: string }[];
  /** The label of the empty first option ("any"), when the field is optional. */
  anyLabel?: string;
  errors?: string[];
}

/** A labelled select whose errors are tied to it for screen readers (the select twin of Field). */
export function SelectField({ name, label, options, anyLabel, errors, id, ...select }: SelectFieldProps) {
  const { t } = useTranslation();
  const selectId = id ?? `field-${name}`;
  const errorId = errors?.length ? `${selectId}-error` : undefined;
  return (
    <div className="field">
      <label htmlFor={selectId}>{label}</label>
      <select
        id={selectId}
        name={name}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={errorId}
        {...select}
      >
        {anyLabel !== undefined && <option value="">{anyLabel}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {errorId && (
        <p id={errorId} className="field-error">
          {errors!.map((e) => t(e)).join(' ')}
        </p>
      )}
    </div>
  );
}
