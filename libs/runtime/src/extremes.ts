/**
 * The largest and smallest of many numbers, undefined when there are none. `Math.max(...values)`
 * passes every value as an argument and throws a RangeError past about 120,000 of them (the call
 * overflows the stack): the steps of a plan for 5,000 hosts of 25 VMs each are 130,000.
 */
export function maxOf(values: Iterable<number>): number | undefined {
  let max: number | undefined;
  for (const value of values) if (max === undefined || value > max || Number.isNaN(value)) max = value;
  return max;
}

export function minOf(values: Iterable<number>): number | undefined {
  let min: number | undefined;
  for (const value of values) if (min === undefined || value < min || Number.isNaN(value)) min = value;
  return min;
}
