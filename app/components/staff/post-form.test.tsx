import { describe, expect, it } from 'vitest';
import { renderInRoute, TEST_CSRF_TOKEN } from '../../../tests/support/render';
import { answerFor, PostForm } from './post-form';

describe('PostForm', () => {
  it('is a section of its own, named by the h2 above it, posting token, intent and hidden fields', async () => {
    const html = await renderInRoute(
      <PostForm
        className="stack narrow"
        sectionTitle={{ id: 'settings-title', text: '设置' }}
        intent="settings"
        hiddenFields={{ policyId: 'p-1' }}
        submitLabel="保存"
      >
        <input name="threshold" />
      </PostForm>,
    );
    expect(html).toMatch(/^<h2 id="settings-title">设置<\/h2><form [^>]*>/);
    const tag = html.slice(html.indexOf('<form'), html.indexOf('>', html.indexOf('<form')));
    for (const attribute of ['method="post"', 'class="stack narrow"', 'aria-labelledby="settings-title"'])
      expect(tag).toContain(attribute);
    expect(html).toContain(
      `<input type="hidden" name="csrf" value="${TEST_CSRF_TOKEN}"/>` +
        '<input type="hidden" name="intent" value="settings"/>' +
        '<input type="hidden" name="policyId" value="p-1"/>' +
        '<input name="threshold"/><button type="submit" class="button">保存</button></form>',
    );
  });

  it('shows the answer meant for it: any answer without an intent, its own intent’s, no other', () => {
    const other = { intent: 'create', formError: 'errors.validation' };
    const unlabelled = { formError: 'errors.forbidden' };
    expect(answerFor(other, 'settings')).toBeUndefined();
    expect(answerFor(other, 'create')).toBe(other);
    expect(answerFor(unlabelled, 'create')).toBe(unlabelled);
    expect(answerFor(other, undefined)).toBe(other);
  });

  it('says the refusal of its answer as an alert, params formatted for the reader', async () => {
    const html = await renderInRoute(
      <PostForm
        intent="approve"
        submitLabel="核准"
        result={{ intent: 'approve', formError: 'errors.accountLocked', params: { minutes: 900 } }}
        formatParams={(p) => ({ ...p, minutes: Number(p.minutes) / 60 })}
      />,
    );
    expect(html).toContain(
      '<div class="form-error" role="alert">登录失败次数过多，账户已锁定，请 15 分钟后再试。</div>',
    );
  });
});
