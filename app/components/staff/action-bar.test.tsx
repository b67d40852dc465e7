import { describe, expect, it } from 'vitest';
import { renderInRoute, TEST_CSRF_TOKEN } from '../../../tests/support/render';
import { ActionBar, type ActionDef, ActionForm } from './action-bar';

type Intent = 'submit' | 'approve' | 'withdraw';
const ACTIONS: ActionDef<Intent>[] = [
  { intent: 'submit', label: '提交审批', help: '提交后由合议庭审批。' },
  { intent: 'approve', label: '审批通过' },
  {
    intent: 'withdraw',
    label: '撤回拍卖',
    danger: true,
    fields: (answer) => <p data-testid="reason-errors">{answer?.fieldErrors?.reason?.join(',') ?? 'none'}</p>,
  },
];

/** The forms of the page, in order. */
const forms = (html: string) => [...html.matchAll(/<form[^>]*>.*?<\/form>/gs)].map((m) => m[0]);

describe('ActionBar', () => {
  it('offers exactly the actions `can` allows, each a form posting its own intent', async () => {
    const html = await renderInRoute(
      <ActionBar
        can={{ submit: true, approve: false, withdraw: true }}
        actions={ACTIONS}
        title="可执行的操作"
      />,
    );
    expect(html).toContain('<h2 id="actions-title">可执行的操作</h2>');
    const [submit, withdraw, ...rest] = forms(html);
    expect(rest).toEqual([]);
    expect(submit).toContain('<input type="hidden" name="intent" value="submit"/>');
    expect(withdraw).toContain('<input type="hidden" name="intent" value="withdraw"/>');
    expect(html).not.toContain('审批通过');
    // Each is a titled card named by its title, carrying the anti-forgery token.
    const tag = submit!.slice(0, submit!.indexOf('>'));
    for (const attribute of [
      'method="post"',
      'class="stack card"',
      'aria-labelledby="submit-title"',
      'novalidate',
    ])
      expect(tag).toContain(attribute);
    expect(submit).toContain('<h3 id="submit-title">提交审批</h3>');
    expect(submit).toContain(`<input type="hidden" name="csrf" value="${TEST_CSRF_TOKEN}"/>`);
    expect(submit).toContain('<p class="field-help">提交后由合议庭审批。</p>');
    expect(submit).toContain('<button type="submit" class="button">提交审批</button>');
    // A dangerous action's button is the secondary one.
    expect(withdraw).toContain('<button type="submit" class="button button-secondary">撤回拍卖</button>');
  });

  it("shows an answer only in the form of the intent it answers, with that form's field errors", async () => {
    const html = await renderInRoute(
      <ActionBar
        can={{ submit: true, approve: true, withdraw: true }}
        actions={ACTIONS}
        title="可执行的操作"
        result={{ intent: 'withdraw', formError: 'errors.validation', fieldErrors: { reason: ['必填'] } }}
      />,
    );
    const [submit, approve, withdraw] = forms(html);
    expect(withdraw).toContain('<div class="form-error" role="alert">请检查标红的字段。</div>');
    expect(withdraw).toContain('<p data-testid="reason-errors">必填</p>');
    for (const other of [submit, approve]) expect(other).not.toContain('role="alert"');
  });

  it('says so when nothing is allowed, or leaves the section out when the page has nothing to say', async () => {
    const none = { submit: false, approve: false, withdraw: false };
    const said = await renderInRoute(
      <ActionBar can={none} actions={ACTIONS} title="可执行的操作" empty="当前状态下您没有可执行的操作。" />,
    );
    expect(said).toContain(
      '<h2 id="actions-title">可执行的操作</h2><p class="muted">当前状态下您没有可执行的操作。</p>',
    );
    expect(forms(said)).toEqual([]);
    expect(await renderInRoute(<ActionBar can={none} actions={ACTIONS} title="可执行的操作" />)).toBe('');
    // An action laid out apart is something to do: no "nothing to do" beside it.
    const apart = await renderInRoute(
      <ActionBar can={none} actions={ACTIONS} title="可执行的操作" empty="当前状态下您没有可执行的操作。">
        <details>更正公告</details>
      </ActionBar>,
    );
    expect(apart).toBe('<h2 id="actions-title">可执行的操作</h2><details>更正公告</details>');
    // Without a title, just the cards.
    const untitled = await renderInRoute(
      <ActionBar can={{ submit: false, approve: true, withdraw: false }} actions={ACTIONS} />,
    );
    expect(untitled).toMatch(/^<div class="actions"><form [^>]*aria-labelledby="approve-title"/);
  });
});

describe('ActionForm', () => {
  it('without a title is named by its label, and may name its button and hidden fields differently', async () => {
    const html = await renderInRoute(
      <ActionForm
        intent="reject"
        label="退回到账"
        submitLabel="退回"
        titled={false}
        hiddenFields={{ transferId: 't-1' }}
        result={{ intent: 'confirm', formError: 'errors.validation' }}
      />,
    );
    expect(html).toMatch(/^<form [^>]*aria-label="退回到账"/);
    expect(html).not.toContain('<h3');
    expect(html).toContain('<input type="hidden" name="transferId" value="t-1"/>');
    expect(html).toContain('<button type="submit" class="button">退回</button>');
    expect(html).not.toContain('role="alert"'); // the answer was the confirm form's
  });
});
