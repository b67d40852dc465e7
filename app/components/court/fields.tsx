import { useTranslation } from 'react-i18next';

/** Ids of a field's help and error paragraphs, for aria-describedby. */
function describedBy(inputId: string, help?: string, errors?: string[]) {
  const helpId = help ? `${inputId}-help` : undefined;
  const errorId = errors?.length ? `${inputId}-error` : undefined;
  return { helpId, errorId, ids: [helpId, errorId].filter(Boolean).join(' ') || undefined };
}

function HelpAndErrors({
  helpId,
  errorId,
  help,
  errors,
}: {
  helpId?: string;
  errorId?: string;
  help?: string;
  errors?: string[];
}) {
  const { t } = useTranslation();
  return (
    <>
      {help && helpId && (
        <p id={helpId} className="field-help">
          {help}
        </p>
      )}
      {errorId && (
        <p id={errorId} className="field-error">
          {errors!.map((e) => t(e)).join(' ')}
        </p>
      )}
    </>
  );
}

interface SelectFieldProps extends React.SelectHTMLAttributes<HTMLSelectElement> {
  name: string;
  label: string;
  options: readonly { value: string; label: string }[];
  help?: string;
  errors?: string[];
}

/** A labelled select, help and errors tied to it like `Field`. */
export function SelectField({ name, label, options, help, errors, id, ...select }: SelectFieldProps) {
  const inputId = id ?? `field-${name}`;
  const d = describedBy(inputId, help, errors);
  return (
    <div className="field">
      <label htmlFor={inputId}>{label}</label>
      <select
        id={inputId}
        name={name}
        aria-invalid={d.errorId ? true : undefined}
        aria-describedby={d.ids}
        {...select}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <HelpAndErrors helpId={d.helpId} errorId={d.errorId} help={help} errors={errors} />
    </div>
  );
}

interface TextAreaFieldProps extends React.TextareaHTMLAttributes<HTMLTextAreaElement> {
  name: string;
  label: string;
  help?: string;
  errors?: string[];
}

export function TextAreaField({ name, label, help, errors, id, rows = 4, ...area }: TextAreaFieldProps) {
  const inputId = id ?? `field-${name}`;
  const d = describedBy(inputId, help, errors);
  return (
    <div className="field">
      <label htmlFor={inputId}>{label}</label>
      <textarea
        id={inputId}
        name={name}
        rows={rows}
        aria-invalid={d.errorId ? true : undefined}
        aria-describedby={d.ids}
        {...area}
      />
      <HelpAndErrors helpId={d.helpId} errorId={d.errorId} help={help} errors={errors} />
    </div>
  );
}

/** Errors that belong to a group (a fieldset), e.g. "at least one applicant". */
export function GroupErrors({ id, errors }: { id: string; errors?: string[] }) {
  const { t } = useTranslation();
  if (!errors?.length) return null;
  return (
    <p id={id} className="field-error">
      {errors.map((e) => t(e)).join(' ')}
    </p>
  );
}

/** A success notice after a redirect (`?done=...`), announced politely. */
export function DoneNotice({ message }: { message?: string | null }) {
  if (!message) return null;
  return (
    <p role="status" className="notice">
      {message}
    </p>
  );
}
