import { useTranslation } from 'react-i18next';

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
