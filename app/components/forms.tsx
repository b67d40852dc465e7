import { useTranslation } from 'react-i18next';
import { useRootData } from '../utils/root-data';

/** The per-form anti-forgery token (checked by readForm in app/utils/route.server.ts). */
export function CsrfInput() {
  const data = useRootData();
  return <input type="hidden" name="csrf" value={data?.csrfToken ?? ''} />;
}

/** Ids of a control's help and error paragraphs, for aria-describedby. */
function describedBy(inputId: string, help?: string, errors?: string[]) {
  const helpId = help ? `${inputId}-help` : undefined;
  const errorId = errors?.length ? `${inputId}-error` : undefined;
  return { helpId, errorId, ids: [helpId, errorId].filter(Boolean).join(' ') || undefined };
}

function HelpAndErrors({
  d,
  help,
  errors,
}: {
  d: ReturnType<typeof describedBy>;
  help?: string;
  errors?: string[];
}) {
  const { t } = useTranslation();
  return (
    <>
      {help && d.helpId && (
        <p id={d.helpId} className="field-help">
          {help}
        </p>
      )}
      {d.errorId && (
        <p id={d.errorId} className="field-error">
          {errors!.map((e) => t(e)).join(' ')}
        </p>
      )}
    </>
  );
}

interface FieldProps extends React.InputHTMLAttributes<HTMLInputElement> {
  name: string;
  label: string;
  help?: string;
  errors?: string[];
}

/** A labelled input whose help and errors are tied to it for screen readers. */
export function Field({ name, label, help, errors, id, ...input }: FieldProps) {
  const inputId = id ?? `field-${name}`;
  const d = describedBy(inputId, help, errors);
  return (
    <div className="field">
      <label htmlFor={inputId}>{label}</label>
      <input
        id={inputId}
        name={name}
        aria-invalid={d.errorId ? true : undefined}
        aria-describedby={d.ids}
        {...input}
      />
      <HelpAndErrors d={d} help={help} errors={errors} />
    </div>
  );
}

interface SelectFieldProps extends React.SelectHTMLAttributes<HTMLSelectElement> {
  name: string;
  label: string;
  options: readonly { value: string; label: string }[];
  /** The label of the empty first option ("any"), when the field is optional. */
  anyLabel?: string;
  help?: string;
  errors?: string[];
}

/** A labelled select, help and errors tied to it like `Field`. */
export function SelectField({
  name,
  label,
  options,
  anyLabel,
  help,
  errors,
  id,
  ...select
}: SelectFieldProps) {
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
        {anyLabel !== undefined && <option value="">{anyLabel}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <HelpAndErrors d={d} help={help} errors={errors} />
    </div>
  );
}

/**
 * The label, help and errors of `SelectField` around a select the caller renders (one whose
 * options change with the page's state): `children` gets the attributes that tie them together.
 */
export function SelectFieldShell({
  id,
  label,
  help,
  errors,
  children,
}: {
  id: string;
  label: string;
  help?: string;
  errors?: string[];
  children: (described: {
    id: string;
    'aria-invalid': true | undefined;
    'aria-describedby': string | undefined;
  }) => React.ReactNode;
}) {
  const d = describedBy(id, help, errors);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': d.errorId ? true : undefined, 'aria-describedby': d.ids })}
      <HelpAndErrors d={d} help={help} errors={errors} />
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
      <HelpAndErrors d={d} help={help} errors={errors} />
    </div>
  );
}

/** The form-level message (role=alert so it is announced), with its interpolation params. */
export function FormError({ error, params }: { error?: string; params?: Record<string, string | number> }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <div className="form-error" role="alert">
      {t(error, params)}
    </div>
  );
}
