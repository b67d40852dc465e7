import { describe, expect, it } from 'vitest';
import { renderInRoute } from '../../../tests/support/render';
import { FormSection } from './form-section';

describe('FormSection', () => {
  it('ties its help to the group, and its error in the help’s place while the error stands', async () => {
    const helped = await renderInRoute(
      <FormSection id="parties" legend="当事人" help="至少一名申请执行人。">
        <input name="x" />
      </FormSection>,
    );
    expect(helped).toBe(
      '<fieldset class="group" aria-describedby="parties-help"><legend>当事人</legend>' +
        '<p id="parties-help" class="field-help">至少一名申请执行人。</p><input name="x"/></fieldset>',
    );
    const refused = await renderInRoute(
      <FormSection id="parties" legend="当事人" help="至少一名申请执行人。" errors={['errors.validation']}>
        <input name="x" />
      </FormSection>,
    );
    expect(refused).toContain('<fieldset class="group" aria-describedby="parties-error">');
    expect(refused).toContain('<p id="parties-error" class="field-error">请检查标红的字段。</p>');
  });

  it('draws a repeated row without a frame, described by nothing when it has nothing to say', async () => {
    const html = await renderInRoute(
      <FormSection legend="申请执行人 1" row>
        <input name="y" />
      </FormSection>,
    );
    expect(html).toBe(
      '<fieldset class="row-fields subgroup"><legend>申请执行人 1</legend><input name="y"/></fieldset>',
    );
  });
});
