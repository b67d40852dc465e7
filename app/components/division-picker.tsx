import { useState } from 'react';
import { type City, PROVINCES, provinceOf } from '../../server/divisions/divisions';
import { SelectFieldShell } from './forms';

interface Part {
  /** The form field's name (`province`, `city`). */
  name: string;
  label: string;
  errors?: string[];
  help?: string;
}

/** The province a city of the list belongs to (a city name is unique within its province). */
const provinceOfCity = (city: string) => PROVINCES.find((p) => p.cities.some((c) => c.name === city)) ?? null;

const cityOption = (c: City) => (
  <option key={c.code} value={c.name} lang="zh-CN">
    {c.name}
  </option>
);

/**
 * Province then city as two selects from the administrative divisions shipped with the product
 * (server/divisions, GB/T 2260), so a place is always named the way the listings store it (issue
 * 21: "青海" found nothing where "青海省" did). The server renders the cities of the chosen
 * province; with none chosen, every city grouped under its province, so the pair works without
 * JavaScript too. In the browser, choosing a province narrows the cities and choosing a city
 * fills in its province. Counties are not on the shipped list: the district stays a text field.
 * A value from elsewhere that is not on the list (an old link) stays a choice, so it is not lost.
 */
export function DivisionPicker({
  province,
  city,
  defaultProvince,
  defaultCity,
  anyProvince,
  anyCity,
  required,
  idPrefix = 'field',
}: {
  province: Part;
  city: Part;
  defaultProvince?: string | null;
  defaultCity?: string | null;
  /** The empty first option's label ("any province" on a search, "choose" on a form). */
  anyProvince: string;
  anyCity: string;
  required?: boolean;
  idPrefix?: string;
}) {
  const [chosen, setChosen] = useState({
    province: provinceOf(defaultProvince)?.name ?? defaultProvince ?? '',
    city: defaultCity ?? '',
  });
  const listed = provinceOf(chosen.province);
  const cities = listed?.cities ?? null;
  const cityListed = cities
    ? cities.some((c) => c.name === chosen.city)
    : provinceOfCity(chosen.city) !== null;

  return (
    <>
      <SelectFieldShell
        id={`${idPrefix}-${province.name}`}
        label={province.label}
        help={province.help}
        errors={province.errors}
      >
        {(described) => (
          <select
            {...described}
            name={province.name}
            required={required}
            autoComplete="address-level1"
            value={chosen.province}
            onChange={(e) => {
              const next = e.currentTarget.value;
              const keep = provinceOf(next)?.cities.some((c) => c.name === chosen.city) ?? false;
              setChosen({ province: next, city: keep ? chosen.city : '' });
            }}
          >
            <option value="">{anyProvince}</option>
            {!listed && chosen.province && <option value={chosen.province}>{chosen.province}</option>}
            {PROVINCES.map((p) => (
              <option key={p.code} value={p.name} lang="zh-CN">
                {p.name}
              </option>
            ))}
          </select>
        )}
      </SelectFieldShell>
      <SelectFieldShell
        id={`${idPrefix}-${city.name}`}
        label={city.label}
        help={city.help}
        errors={city.errors}
      >
        {(described) => (
          <select
            {...described}
            name={city.name}
            required={required}
            autoComplete="address-level2"
            value={chosen.city}
            onChange={(e) => {
              const next = e.currentTarget.value;
              setChosen({ province: chosen.province || (provinceOfCity(next)?.name ?? ''), city: next });
            }}
          >
            <option value="">{anyCity}</option>
            {!cityListed && chosen.city && <option value={chosen.city}>{chosen.city}</option>}
            {cities
              ? cities.map(cityOption)
              : PROVINCES.map((p) => (
                  <optgroup key={p.code} label={p.name} lang="zh-CN">
                    {p.cities.map(cityOption)}
                  </optgroup>
                ))}
          </select>
        )}
      </SelectFieldShell>
    </>
  );
}
