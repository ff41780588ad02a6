import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newLeaksOf, watchLogs } from './support.js';

const KEY = `cat_${'L'.repeat(42)}`;

describe('the key-leak scan of the proxy tests', () => {
  it('reports a key in a text recorded since the previous scan, and blames it once', () => {
    const lines = ['{"msg":"request"}'];
    watchLogs(lines);
    assert.deepEqual(newLeaksOf([KEY]), []);
    lines.push(`{"msg":"oops","key":"${KEY}"}`);
    assert.deepEqual(newLeaksOf([KEY]), [`{"msg":"oops","key":"${KEY}"}`]);
    assert.deepEqual(newLeaksOf([KEY]), [], 'the next test is not blamed for it');
  });

  it('reads a log that was watched before, and ignores empty keys', () => {
    const lines: string[] = [];
    watchLogs(lines);
    watchLogs(lines);
    lines.push(`authorization: Bearer ${KEY}`);
    assert.deepEqual(newLeaksOf(['', KEY]), [`authorization: Bearer ${KEY}`]);
  });
});
