import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, NotContains, ValidateBy, ValidateIf, ValidateNested } from 'class-validator';
import { ValidationPipe } from '@nestjs/common';
import { ApiError } from './api-error';
import { createValidationPipe } from './validation.pipe';

class Entry {
  @IsString()
  key!: string;

  @IsOptional()
  @IsIn(['env_var', 'file'])
  variable_type?: string;
}

class Sample {
  @IsString()
  @NotContains('\u0000')
  ref!: string;

  @IsString()
  @Length(1, 10)
  name!: string;

  @IsOptional()
  @IsInt({ message: 'must be a whole number' })
  count?: number;

  @IsOptional()
  @IsIn(['a', 'b'], { message: 'scope does not have a valid value' })
  scope?: string;

  @IsOptional()
  @ValidateBy({
    name: 'notBlank',
    validator: { validate: (v) => typeof v === 'string' && v.trim() !== '', defaultMessage: () => "can't be blank" },
  })
  title?: string;

  @ValidateIf((sample: Sample) => sample.name === 'lvl')
  @ValidateBy({ name: 'level', validator: { validate: (v) => v === 40, defaultMessage: () => 'One of the levels must be given.' } })
  level?: number;

  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => Entry)
  entries?: Entry[];
}

/** What the pipe answers for `body` validated as `Sample`. */
async function refusal(pipe: ValidationPipe, body: object): Promise<unknown> {
  try {
    await pipe.transform(body, { type: 'body', metatype: Sample });
  } catch (error) {
    return (error as ApiError).body;
  }
  throw new Error('accepted');
}

describe('createValidationPipe', () => {
  const pipe = createValidationPipe();
  const valid = { ref: 'main', name: 'ok' };

  it.each([
    [{}, { error: 'ref is missing, name is missing' }],
    [{ name: 'ok' }, { error: 'ref is missing' }],
    [{ ...valid, ref: 'ma\u0000in' }, { error: 'ref is invalid' }],
    [{ ...valid, ref: 42 }, { error: 'ref is invalid' }],
    [{ ...valid, name: '' }, { error: 'name is invalid' }],
    [{ ...valid, scope: 'c' }, { error: 'scope does not have a valid value' }],
    [{ ...valid, entries: [{ key: 'K', variable_type: 'secret' }] }, { error: 'entries[0][variable_type] does not have a valid value' }],
    [{ ...valid, entries: [{}] }, { error: 'entries[0][key] is missing' }],
    [{ ...valid, count: 'x' }, { message: { count: ['must be a whole number'] } }],
    [{ ...valid, title: ' ' }, { message: { title: ["can't be blank"] } }],
    [{ ...valid, name: 'lvl' }, { message: { level: ['One of the levels must be given.'] } }],
    [{ name: 'ok', count: 'x' }, { error: 'ref is missing' }],
  ])('answers %j with %j', async (body, expected) => {
    expect(await refusal(pipe, body)).toEqual(expected);
  });
});
