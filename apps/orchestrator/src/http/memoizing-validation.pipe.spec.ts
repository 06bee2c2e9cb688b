import assert from 'node:assert/strict';
import { test } from 'node:test';

import { type ArgumentMetadata, BadRequestException } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, ValidateBy } from 'class-validator';

import { MemoizingValidationPipe } from './memoizing-validation.pipe';

let checks = 0;

class ListQuery {
  @IsOptional()
  @IsString()
  @ValidateBy({ name: 'counted', validator: { validate: () => (checks++, true) } })
  public group?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be an integer' })
  @Max(500)
  public limit?: number;
}

const query: ArgumentMetadata = { type: 'query', metatype: ListQuery };
const pipe = (): MemoizingValidationPipe =>
  new MemoizingValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true });

test('a repeated query string is validated once; each caller gets its own instance', async () => {
  const p = pipe();
  checks = 0;
  const a = (await p.transform({ group: 'g1', limit: '20' }, query)) as ListQuery;
  const b = (await p.transform({ group: 'g1', limit: '20' }, query)) as ListQuery;
  assert.equal(checks, 1);
  assert.ok(a instanceof ListQuery && b instanceof ListQuery);
  assert.notEqual(a, b);
  assert.deepEqual({ ...a }, { group: 'g1', limit: 20 });
  assert.deepEqual({ ...b }, { ...a });
  b.limit = 1;
  assert.equal(((await p.transform({ group: 'g1', limit: '20' }, query)) as ListQuery).limit, 20);
  await p.transform({ group: 'g2', limit: '20' }, query);
  assert.equal(checks, 2, 'another query string is validated');
});

test('invalid queries are refused every time, as by ValidationPipe', async () => {
  const p = pipe();
  for (let i = 0; i < 2; i++) {
    await assert.rejects(p.transform({ limit: 'x' }, query), (e: unknown) => {
      assert.ok(e instanceof BadRequestException);
      assert.match(JSON.stringify(e.getResponse()), /must be an integer/);
      return true;
    });
    await assert.rejects(p.transform({ limit: '501' }, query), BadRequestException);
    await assert.rejects(p.transform({ unknown: '1' }, query), (e: unknown) => {
      assert.ok(e instanceof BadRequestException);
      assert.match(JSON.stringify(e.getResponse()), /property unknown should not exist/);
      return true;
    });
  }
});

test('bodies, single query parameters and repeated parameters are not remembered', async () => {
  const p = pipe();
  checks = 0;
  for (let i = 0; i < 2; i++) await p.transform({ group: 'g1' }, { type: 'body', metatype: ListQuery });
  for (let i = 0; i < 2; i++) await p.transform({ group: 'g1', limit: ['1', '2'] }, query).catch(() => undefined);
  assert.equal(checks, 4);
  assert.equal(await p.transform('7', { type: 'query', metatype: Number, data: 'limit' }), 7);
});
