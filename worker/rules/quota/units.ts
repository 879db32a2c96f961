// Quota units may be decimals (a ticket may weigh 1.5). Sums are done in integer thousandths of a
// unit, so 0.1 + 0.2 is 0.3 and a cap of 5 is never exceeded by a rounding error.

/** Units → whole thousandths of a unit (more decimals are rounded to the nearest thousandth). */
export function toThousandths(units: number, what = 'units'): number {
  if (!Number.isFinite(units) || units < 0) {
    throw new RangeError(`${what} must be a finite number ≥ 0, got ${units}`);
  }
  return Math.round(units * 1000);
}

/** Whole thousandths → units: the double nearest to the decimal, as if written in the source. */
export const fromThousandths = (thousandths: number): number => thousandths / 1000;

/** Units rounded to the thousandth, as deskplan keeps and shows them (no float dust). */
export const roundUnits = (units: number): number => Math.round(units * 1000) / 1000;
