import { Form, type FormProps, useNavigation } from '@remix-run/react';
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';
import { CsrfInput, FormError } from '../forms';

/**
 * What a staff page's action answers when a form is refused: the shape of `formAction` and
 * `formRefusal` (app/components/court/route.server.ts). `intent` names the form it belongs to.
 */
export interface ActionResult {
  intent?: string;
  formError?: string;
  fieldErrors?: Record<string, string[]>;
  params?: Record<string, string | number>;
}

/** Error params as the user should read them (amounts as money, statuses by name …). */
export type FormatParams = (params: Record<string, string | number>) => Record<string, string | number>;

/**
 * The part of the page's answer that belongs to one form: all of it for a form without an intent;
 * for a form with one, an answer labelled with another intent belongs to that other form.
 */
export function answerFor(result: ActionResult | undefined, intent?: string): ActionResult | undefined {
  if (!result || intent === undefined || result.intent === undefined) return result;
  return result.intent === intent ? result : undefined;
}

/** The hidden inputs every staff form posts: the anti-forgery token, the intent, the row it acts on. */
export function IntentFields({
  intent,
  hiddenFields,
}: {
  intent?: string;
  hiddenFields?: Record<string, string>;
}) {
  return (
    <>
      <CsrfInput />
      {intent !== undefined && <input type="hidden" name="intent" value={intent} />}
      {hiddenFields &&
        Object.entries(hiddenFields).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
    </>
  );
}

export interface PostFormProps extends Omit<FormProps, 'method' | 'children'> {
  /** Which of the page's forms this is (the action switches on it); also filters `result`. */
  intent?: string;
  /** Further hidden inputs, e.g. the id of the row the form acts on. */
  hiddenFields?: Record<string, string>;
  /** The page's `useActionData()`; only the part answering this form is shown. */
  result?: ActionResult;
  formatParams?: FormatParams;
  submitLabel: string;
  /** `button` by default; `button button-secondary` for a secondary or dangerous step. */
  submitClassName?: string;
  /** A form that is a section of the page of its own: the h2 above it, which names it. */
  sectionTitle?: { id: string; text: string };
  /** Drawn inside the form before the hidden inputs (the title of an action card). */
  heading?: React.ReactNode;
  /** The fields, or a function of this form's answer (for their field errors). */
  children?: React.ReactNode | ((answer: ActionResult | undefined) => React.ReactNode);
}

/**
 * A form that posts to the page's action, wired the one way staff pages wire forms: token, intent,
 * the form-level error of this form's answer (role=alert), the fields, and a submit button that is
 * disabled while a submission is under way. Server validation speaks, so `noValidate` by default.
 * Use it for every POST form of a staff page; `ActionForm` is this form as an action card. Its ref
 * is the <form> (to reset it after a success that stays on the page).
 */
export const PostForm = forwardRef<HTMLFormElement, PostFormProps>(function PostForm(
  {
    intent,
    hiddenFields,
    result,
    formatParams,
    submitLabel,
    submitClassName = 'button',
    sectionTitle,
    heading,
    children,
    noValidate = true,
    ...form
  },
  ref,
) {
  const busy = useNavigation().state === 'submitting';
  const answer = answerFor(result, intent);
  const params = answer?.params && formatParams ? formatParams(answer.params) : answer?.params;
  const inner = useRef<HTMLFormElement>(null);
  useImperativeHandle(ref, () => inner.current as HTMLFormElement, []);
  // A refusal on a long form: focus (and so scroll to) the first field in error, else the form's
  // error message, so the user sees what to fix without hunting for it (issue 22).
  useEffect(() => {
    if (!answer?.formError && !answer?.fieldErrors) return;
    const form = inner.current;
    const first =
      form?.querySelector<HTMLElement>('[aria-invalid="true"]') ??
      form?.querySelector<HTMLElement>('[role="alert"]');
    if (!first) return;
    if (first.getAttribute('role') === 'alert' && !first.hasAttribute('tabindex')) first.tabIndex = -1;
    first.focus({ preventScroll: true });
    first.scrollIntoView({ block: 'center' });
  }, [answer]);
  return (
    <>
      {sectionTitle && <h2 id={sectionTitle.id}>{sectionTitle.text}</h2>}
      <Form ref={inner} method="post" noValidate={noValidate} aria-labelledby={sectionTitle?.id} {...form}>
        {heading}
        <IntentFields intent={intent} hiddenFields={hiddenFields} />
        <FormError error={answer?.formError} params={params} />
        {typeof children === 'function' ? children(answer) : children}
        <button type="submit" className={submitClassName} disabled={busy}>
          {submitLabel}
        </button>
      </Form>
    </>
  );
});
