import { InvalidArgumentError } from 'commander';

/** Parsers of the CLI's option values: each refuses a bad value with a message commander prints. */
export const port = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('a port is a whole number 0-65535');
  return n;
};

export const count = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('a whole number ≥ 0');
  return n;
};

export const percentages = (value: string): number[] => {
  const list = value.split(',').map(Number);
  if (list.some((n) => !Number.isInteger(n) || n < 1 || n > 100))
    throw new InvalidArgumentError('cumulative percentages 1-100, comma-separated, e.g. 25,50,100');
  return list;
};
