import { type ActionResult, answerFor, type FormatParams, PostForm } from './post-form';

/** One action a page may offer, by the intent its action switches on. */
export interface ActionDef<A extends string> {
  intent: A;
  /** The card's title, and its button's label unless `submitLabel` says otherwise. */
  label: string;
  submitLabel?: string;
  /** One line on what the action does, under the title. */
  help?: string;
  /** The action's fields, or a function of its answer (for their field errors). */
  fields?: React.ReactNode | ((answer: ActionResult | undefined) => React.ReactNode);
  /** Irreversible or negative (withdraw, reject): a secondary button. */
  danger?: boolean;
  hiddenFields?: Record<string, string>;
}

interface ActionFormProps {
  intent: string;
  label: string;
  submitLabel?: string;
  help?: string;
  /** The page's `useActionData()`; only the answer to this intent is shown. */
  result?: ActionResult;
  formatParams?: FormatParams;
  danger?: boolean;
  /** A visible title (a form inside a <details> has its <summary> instead, and is named by `label`). */
  titled?: boolean;
  hiddenFields?: Record<string, string>;
  children?: React.ReactNode | ((answer: ActionResult | undefined) => React.ReactNode);
}

/**
 * One action as a titled card: a form named by its title (`getByRole('form', { name })`), posting
 * its intent. `ActionBar` draws these from the page's affordances; use it directly only where an
 * action needs its own place on the page (inside a <details>, beside a row).
 */
export function ActionForm({
  intent,
  label,
  submitLabel,
  help,
  result,
  formatParams,
  danger,
  titled = true,
  hiddenFields,
  children,
}: ActionFormProps) {
  const titleId = `${intent}-title`;
  return (
    <PostForm
      className="stack card"
      aria-labelledby={titled ? titleId : undefined}
      aria-label={titled ? undefined : label}
      intent={intent}
      hiddenFields={hiddenFields}
      result={result}
      formatParams={formatParams}
      submitLabel={submitLabel ?? label}
      submitClassName={danger ? 'button button-secondary' : 'button'}
      heading={titled && <h3 id={titleId}>{label}</h3>}
    >
      {(answer) => (
        <>
          {help && <p className="field-help">{help}</p>}
          {typeof children === 'function' ? children(answer) : children}
        </>
      )}
    </PostForm>
  );
}

interface ActionBarProps<A extends string> {
  /** What the viewer may do now (`can` from the service, ADR 010); nothing else decides. */
  can: Partial<Record<A, boolean>>;
  /** The actions this bar offers, in order; those `can` does not allow are left out. */
  actions: readonly ActionDef<NoInfer<A>>[];
  result?: ActionResult;
  formatParams?: FormatParams;
  /** The section's heading (an h2) and its id; a page whose cards sit under its facts has none. */
  title?: string;
  titleId?: string;
  /** Said when nothing is allowed; without it, a page with nothing allowed shows no section at all. */
  empty?: string;
  /** An allowed action laid out apart, after the cards (the amendment form in its <details>). */
  children?: React.ReactNode;
}

/**
 * The actions section of an entity's page: a heading and one `ActionForm` card per action the
 * page's `can` allows. Key it by the entity's state (`key={status}`) so its forms come back empty
 * after an action succeeds. An action that needs its own layout goes in as a child (`can.x && …`):
 * it counts as something to do.
 */
export function ActionBar<A extends string>({
  can,
  actions,
  result,
  formatParams,
  title,
  titleId = 'actions-title',
  empty,
  children,
}: ActionBarProps<A>) {
  const allowed = actions.filter((a) => can[a.intent]);
  const apart = Boolean(children);
  if (allowed.length === 0 && !apart && empty === undefined) return null;
  return (
    <>
      {title !== undefined && <h2 id={titleId}>{title}</h2>}
      {allowed.length === 0 ? (
        !apart && <p className="muted">{empty}</p>
      ) : (
        <div className="actions">
          {allowed.map((a) => (
            <ActionForm
              key={a.intent}
              intent={a.intent}
              label={a.label}
              submitLabel={a.submitLabel}
              help={a.help}
              result={answerFor(result, a.intent)}
              formatParams={formatParams}
              danger={a.danger}
              hiddenFields={a.hiddenFields}
            >
              {a.fields}
            </ActionForm>
          ))}
        </div>
      )}
      {children}
    </>
  );
}
