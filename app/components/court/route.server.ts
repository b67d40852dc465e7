import { data, type LoaderFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import { act, type FormErrorData } from '../../utils/route.server';

/** A route id parameter: anything but a UUID is simply "not found" (the services say the same). */
export function idParam(params: LoaderFunctionArgs['params'], name: string): string {
  const parsed = z.uuid().safeParse(params[name]);
  if (!parsed.success) throw data({ messageKey: 'errors.notFound' }, { status: 404 });
  return parsed.data;
}

/** A text field as zod should see it: absent when left blank (so "required", not "invalid"). */
export function formValue(form: FormData, name: string): string | undefined {
  const v = form.get(name);
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

/**
 * Repeated rows of a form (`parties.0.name`, `parties.1.name` ...) as objects. Rows the user left
 * blank are dropped; `index[i]` is the form row of the i-th kept row, so errors the service
 * reports as `parties.i.name` can be put back next to the right inputs (`mapRowErrors`).
 */
export function formRows(
  form: FormData,
  prefix: string,
  fields: readonly string[],
  isBlank: (row: Record<string, string>) => boolean,
): { rows: Record<string, string>[]; index: number[] } {
  const rows: Record<string, string>[] = [];
  const index: number[] = [];
  for (let i = 0; i < 50; i++) {
    if (!fields.some((f) => form.has(`${prefix}.${i}.${f}`))) continue;
    const row: Record<string, string> = {};
    for (const f of fields) {
      const v = form.get(`${prefix}.${i}.${f}`);
      if (typeof v === 'string' && v.trim() !== '') row[f] = v;
    }
    if (isBlank(row)) continue;
    rows.push(row);
    index.push(i);
  }
  return { rows, index };
}

type FormAnswer = FormErrorData & { intent: string };

/**
 * Runs a form's service call with act(). Success redirects (the callback throws `redirect`);
 * a 4xx answer comes back labelled with the form it belongs to (`intent`), and with row errors
 * moved from the service's array positions back to the form's rows.
 */
export async function formAction(
  request: Request,
  intent: string,
  fn: () => Promise<never>,
  rows: Record<string, number[]> = {},
) {
  const result = await act(request, fn);
  const answer = result.data as FormErrorData;
  return data<FormAnswer>(
    { ...answer, fieldErrors: mapRowErrors(answer.fieldErrors, rows), intent },
    result.init ?? { status: 400 },
  );
}

/** A form-level refusal decided before any service call (unknown intent, body too large). */
export function formRefusal(intent: string, status: number, answer: FormErrorData) {
  return data<FormAnswer>({ ...answer, intent }, { status });
}

function mapRowErrors(errors: Record<string, string[]> | undefined, rows: Record<string, number[]>) {
  if (!errors) return errors;
  const out: Record<string, string[]> = {};
  for (const [key, messages] of Object.entries(errors)) {
    const m = key.match(/^([^.]+)\.(\d+)(\..*)?$/);
    const index = m ? rows[m[1]!] : undefined;
    const to = m && index ? `${m[1]}.${index[Number(m[2])] ?? m[2]}${m[3] ?? ''}` : key;
    out[to] = [...(out[to] ?? []), ...messages];
  }
  return out;
}

/**
 * The bank's confirmation file, imported from a payout desk (aid batches, case-funds payouts): one
 * helper for both (issue 22). No file, or an empty one, is refused at the file field; otherwise
 * `importFile` (the module's importConfirmations) reads its text, and its result or refusal comes
 * back labelled `import`.
 */
export async function importConfirmationsAction<T>(
  request: Request,
  form: FormData,
  importFile: (text: string) => Promise<T>,
) {
  const file = form.get('file');
  if (!(file instanceof File) || file.size === 0)
    return formRefusal('import', 400, {
      formError: 'errors.validation',
      fieldErrors: { file: ['validation.required'] },
    });
  const text = await file.text();
  return act(request, async () => ({ intent: 'import' as const, imported: await importFile(text) }));
}
