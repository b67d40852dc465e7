import { PROVINCES } from '../../server/divisions/divisions';

/**
 * Suggestions from the administrative divisions code list for a province and a city field
 * (`list="division-provinces"`, `list="division-cities"`): the browser's own picker, which works by
 * typing or tapping and leaves the field a plain input without JavaScript.
 */
export function DivisionLists() {
  return (
    <>
      <datalist id="division-provinces">
        {PROVINCES.map((p) => (
          <option key={p.code} value={p.name} />
        ))}
      </datalist>
      <datalist id="division-cities">
        {PROVINCES.flatMap((p) =>
          p.cities.map((c) => (
            <option key={c.code} value={c.name}>
              {p.name}
            </option>
          )),
        )}
      </datalist>
    </>
  );
}
