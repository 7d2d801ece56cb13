import { describe, expect, it } from 'vitest';
import { findJsonLimitProblem, type JsonLimits } from './json-limits';

const L: JsonLimits = { depth: 3, containers: 5, values: 6, keys: 3 };
const scan = (text: string, limits = L) => findJsonLimitProblem(text, limits);

describe('findJsonLimitProblem at its exact boundaries', () => {
  it('depth: 3 levels pass, the 4th opening bracket is named by line and column', () => {
    expect(scan('[[{}]]')).toBeNull();
    expect(scan('[[{"a":[]}]]')).toEqual({ line: 1, column: 8, message: 'is nested more than 3 levels deep' });
    expect(scan('[\n [\n  [\n   [')).toEqual({ line: 4, column: 4, message: 'is nested more than 3 levels deep' });
  });
  it('closing brackets lower the depth; stray closers never make it negative', () => {
    expect(scan('[[[]]],[[[]]]', { ...L, containers: 10 })).toBeNull();
    expect(scan(']]]]]][[[[')).toEqual({ line: 1, column: 10, message: 'is nested more than 3 levels deep' });
  });
  it('containers: 5 pass, the 6th is refused', () => {
    expect(scan('[[],[],[],[]]')).toBeNull();
    expect(scan('[[],[],[],[],{}]')).toEqual({ line: 1, column: 14, message: 'holds more than 5 JSON objects and arrays' });
  });
  it('values: 6 pass (5 commas), the 7th is refused at its comma', () => {
    expect(scan('[1,2,3,4,5,6]')).toBeNull();
    expect(scan('[1,2,3,4,5,6,7]')).toEqual({ line: 1, column: 13, message: 'holds more than 6 JSON values' });
  });
  it('keys: 3 per object pass, the 4th is refused; array items and nested objects count apart', () => {
    expect(scan('{"a":1,"b":2,"c":{"d":1,"e":2,"f":3}}', { ...L, values: 100 })).toBeNull();
    expect(scan('{"a":1,"b":2,"c":3,"d":4}', { ...L, values: 100 })).toEqual({ line: 1, column: 19, message: 'is an object with more than 3 keys' });
    expect(scan('[1,2,3,4,5]', { ...L, values: 100 })).toBeNull();
  });
  it('brackets, commas and quotes inside strings (both quote kinds, escaped quotes) and comments do not count', () => {
    expect(scan('["[[[[,,,,,,,,", "\\"[[[[", \'[[[[\\\'[[[\']')).toBeNull();
    expect(scan('/* [[[[ ,,,,,,, */ // {{{{ ,,,,,,,\n[]')).toBeNull();
  });
  it('newlines inside strings and comments keep the line count', () => {
    expect(scan('/*\n\n*/"a\\\nb"\n[[[[')).toEqual({ line: 5, column: 4, message: 'is nested more than 3 levels deep' });
  });
  it('an unterminated string or comment ends the scan (the parser reports it)', () => {
    expect(scan('["[[[[[[')).toBeNull();
    expect(scan('/* [[[[[[')).toBeNull();
  });
});
