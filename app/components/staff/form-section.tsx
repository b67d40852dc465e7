import { useId } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A group of a long form's fields under a legend: the location of an asset, the parties of a
 * case, a payout formula. Its help and its group error ("at least one applicant") are tied to
 * the group for screen readers, the error taking the help's place while it stands. `row` is one
 * repeated row inside such a group (party 1, tier 2): its fields side by side, without a frame.
 */
export function FormSection({
  legend,
  id,
  help,
  errors,
  row,
  children,
}: {
  legend: React.ReactNode;
  /** Stem of the help and error ids (`<id>-help`, `<id>-error`); generated when not given. */
  id?: string;
  help?: React.ReactNode;
  errors?: string[];
  row?: boolean;
  children: React.ReactNode;
}) {
  const { t } = useTranslation();
  const generated = useId();
  const stem = id ?? generated;
  const helpId = help ? `${stem}-help` : undefined;
  const errorId = errors?.length ? `${stem}-error` : undefined;
  return (
    <fieldset className={row ? 'row-fields subgroup' : 'group'} aria-describedby={errorId ?? helpId}>
      <legend>{legend}</legend>
      {helpId && (
        <p id={helpId} className="field-help">
          {help}
        </p>
      )}
      {errorId && (
        <p id={errorId} className="field-error">
          {errors!.map((e) => t(e)).join(' ')}
        </p>
      )}
      {children}
    </fieldset>
  );
}
