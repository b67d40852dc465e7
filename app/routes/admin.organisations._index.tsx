import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { formAction } from '../components/court/route.server';
import { OrganisationFields } from '../components/onboarding/organisation-fields';
import { DataTable } from '../components/staff/data-table';
import { DoneNotice, useDoneMessage } from '../components/staff/done-notice';
import { PageHead } from '../components/staff/page-head';
import { type ActionResult, PostForm } from '../components/staff/post-form';
import { formObject, load, readForm, requireAuth } from '../utils/route.server';

export const meta: MetaFunction = () => [{ title: '机构管理 · 最后一公里' }];

/** The platform's courts and insurers, and the form that creates one (ADR 023). */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  return load(request, async () => ({
    orgs: await context.services.organisations.list(auth.actor),
    parents: await context.services.organisations.parentChoices(auth.actor),
  }));
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = requireAuth(context, request);
  const form = await readForm(request, context);
  const { intent: _, ...fields } = formObject(form);
  return formAction(request, 'create', async () => {
    const { id } = await context.services.organisations.create(auth.actor, fields, context.meta.requestId);
    throw redirect(`/admin/organisations/${id}?done=created`);
  });
}

export default function Organisations() {
  const { orgs, parents } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as ActionResult | undefined;
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  return (
    <section className="page" aria-labelledby="orgs-title">
      <PageHead id="orgs-title" title={t('orgs.title')} back={{ to: '/admin', label: t('admin.title') }} />
      <DoneNotice message={useDoneMessage('orgs', ['created'])} />
      <p>{t('orgs.intro')}</p>
      <h2 id="orgs-list">{t('orgs.list')}</h2>
      <DataTable
        labelledBy="orgs-list"
        rows={orgs}
        rowKey={(o) => o.id}
        columns={[
          {
            header: t('orgs.nameZh'),
            cell: (o) => <Link to={`/admin/organisations/${o.id}`}>{en ? o.nameEn : o.nameZh}</Link>,
            rowHeader: true,
          },
          { header: t('orgs.kind'), cell: (o) => t(`orgs.kinds.${o.kind}`) },
          { header: t('orgs.code'), cell: (o) => o.code },
          { header: t('orgs.level'), cell: (o) => (o.courtLevel ? t(`orgs.levels.${o.courtLevel}`) : '—') },
          { header: t('orgs.staff'), cell: (o) => o.staff },
          { header: t('orgs.state'), cell: (o) => (o.suspendedAt ? t('orgs.suspended') : t('orgs.active')) },
        ]}
      />
      <PostForm
        className="stack narrow"
        sectionTitle={{ id: 'create-org', text: t('orgs.create') }}
        intent="create"
        result={answer}
        submitLabel={t('orgs.create')}
      >
        {(r) => <OrganisationFields idPrefix="new" parents={parents} errors={r?.fieldErrors} />}
      </PostForm>
    </section>
  );
}
