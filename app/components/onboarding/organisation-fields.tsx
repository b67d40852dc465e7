import { useTranslation } from 'react-i18next';
import { Field, SelectField } from '../forms';

export interface OrgValues {
  kind: 'court' | 'insurer' | 'platform';
  code: string;
  nameZh: string;
  nameEn: string;
  courtLevel: string | null;
  parentId: string | null;
  regionCode: string | null;
  province: string | null;
  city: string | null;
  district: string | null;
}

export interface ParentChoice {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
  courtLevel: string | null;
}

/** The fields of an organisation (ADR 023), for the create and edit forms of the platform admin. */
export function OrganisationFields({
  kind,
  values,
  parents,
  errors,
  idPrefix,
}: {
  /** Shown as a select when creating; fixed when editing. */
  kind?: 'court' | 'insurer';
  values?: OrgValues;
  parents: readonly ParentChoice[];
  errors?: Record<string, string[]>;
  idPrefix: string;
}) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const id = (n: string) => `${idPrefix}-${n}`;
  const isCourt = kind ? kind === 'court' : true;
  return (
    <>
      {!kind && (
        <SelectField
          id={id('kind')}
          name="kind"
          label={t('orgs.kind')}
          options={(['court', 'insurer'] as const).map((k) => ({ value: k, label: t(`orgs.kinds.${k}`) }))}
          errors={errors?.kind}
        />
      )}
      <Field
        id={id('nameZh')}
        name="nameZh"
        label={t('orgs.nameZh')}
        required
        defaultValue={values?.nameZh}
        errors={errors?.nameZh}
      />
      <Field
        id={id('nameEn')}
        name="nameEn"
        label={t('orgs.nameEn')}
        required
        defaultValue={values?.nameEn}
        errors={errors?.nameEn}
      />
      <Field
        id={id('code')}
        name="code"
        label={t('orgs.code')}
        help={t('orgs.codeHelp')}
        required
        defaultValue={values?.code}
        errors={errors?.code}
      />
      {isCourt && (
        <>
          <SelectField
            id={id('courtLevel')}
            name="courtLevel"
            label={t('orgs.level')}
            help={kind ? undefined : t('orgs.kinds.court')}
            defaultValue={values?.courtLevel ?? 'basic'}
            options={(['high', 'intermediate', 'basic'] as const).map((l) => ({
              value: l,
              label: t(`orgs.levels.${l}`),
            }))}
            errors={errors?.courtLevel}
          />
          <SelectField
            id={id('parentId')}
            name="parentId"
            label={t('orgs.parent')}
            help={t('orgs.parentHelp')}
            anyLabel={t('orgs.noParent')}
            defaultValue={values?.parentId ?? ''}
            options={parents.map((p) => ({
              value: p.id,
              label: `${en ? p.nameEn : p.nameZh} (${p.code})`,
            }))}
            errors={errors?.parentId}
          />
        </>
      )}
      <Field
        id={id('regionCode')}
        name="regionCode"
        label={t('orgs.region')}
        help={t('orgs.regionHelp')}
        inputMode="numeric"
        defaultValue={values?.regionCode ?? ''}
        errors={errors?.regionCode}
      />
      <Field
        id={id('province')}
        name="province"
        label={t('orgs.province')}
        defaultValue={values?.province ?? ''}
      />
      <Field id={id('city')} name="city" label={t('orgs.city')} defaultValue={values?.city ?? ''} />
      <Field
        id={id('district')}
        name="district"
        label={t('orgs.district')}
        defaultValue={values?.district ?? ''}
      />
    </>
  );
}
