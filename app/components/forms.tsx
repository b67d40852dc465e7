import { useTranslation } from 'react-i18next';
import { useRootData } from '../utils/root-data';

/** The per-form anti-forgery token (checked by readForm in app/utils/route.server.ts). */
export function CsrfInput() {
  const data = useRootData();
  return <input type="hidden" name="csrf" value={data?.csrfToken ?? ''} />;
}

interface FieldProps extends React.InputHTMLAttributes<HTMLInputElement> {
  name: string;
  label: string;
  help?: string;
  errors?: string[];
}

/** A labelled input whose help and errors are tied to it for screen readers. */
export function Field({ name, label, help, errors, id, ...input }: FieldProps) {
  const { t } = useTranslation();
  const inputId = id ?? `field-${name}`;
  const helpId = help ? `${inputId}-help` : undefined;
  const errorId = errors?.length ? `${inputId}-error` : undefined;
  return (
    <div className="field">
      <label htmlFor={inputId}>{label}</label>
      <input
        id={inputId}
        name={name}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={[helpId, errorId].filter(Boolean).join(' ') || undefined}
        {...input}
      />
      {help && (
        <p id={helpId} className="field-help">
          {help}
        </p>
      )}
      {errorId && (
        <p id={errorId} className="field-error">
          {errors!.map((e) => t(e)).join(' ')}
        </p>
      )}
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
