import { Type } from 'class-transformer';
import { IsInt, IsString, Min, ValidateNested } from 'class-validator';
import { StrictValidationPipe } from '../../src/common/validation/validation.pipe.js';
import { DomainError } from '../../src/common/errors/domain-error.js';

class Quota {
  @IsInt() @Min(0) seats: number;
}
class Body {
  @IsString() title: string;
  @ValidateNested({ each: true }) @Type(() => Quota) quotas: Quota[];
}

async function errorsOf(value: unknown) {
  try {
    await new StrictValidationPipe().transform(value, { type: 'body', metatype: Body });
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return (error as DomainError).errors.map((e) => [e.field, e.key]);
  }
  return [];
}

describe('StrictValidationPipe', () => {
  it('names nested fields with their path', async () => {
    await expect(errorsOf({ title: 'x', quotas: [{ seats: 1 }, { seats: -1 }] })).resolves.toEqual([['quotas[1].seats', 'min']]);
  });

  it('refuses unknown fields, also nested ones', async () => {
    await expect(errorsOf({ title: 'x', quotas: [{ seats: 1, extra: true }], role: 'admin' })).resolves.toEqual(
      expect.arrayContaining([
        ['role', 'whitelistValidation'],
        ['quotas[0].extra', 'whitelistValidation'],
      ]),
    );
  });

  it('refuses bodies that are not objects', async () => {
    for (const value of [null, [], 'text', 42]) await expect(errorsOf(value)).resolves.toEqual([['', 'body']]);
  });

  it('does not convert types implicitly', async () => {
    const errors = await errorsOf({ title: 12, quotas: [{ seats: '3' }] });
    expect(errors).toEqual(expect.arrayContaining([['title', 'isString'], ['quotas[0].seats', 'isInt']]));
  });
});
