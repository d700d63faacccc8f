import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import { PageQuery } from '../../src/common/pagination/pagination.js';
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

  describe('query strings', () => {
    class Filter extends PageQuery {
      @IsOptional() @IsIn(['incoming', 'outgoing']) direction?: string;
    }
    const query = (pipe: StrictValidationPipe, value: unknown) => pipe.transform(value, { type: 'query', metatype: Filter });

    it('the same valid query again: an equal DTO of the class, a copy of its own each time', async () => {
      const pipe = new StrictValidationPipe();
      const first = (await query(pipe, { direction: 'incoming', limit: '5' })) as Filter;
      expect(first).toBeInstanceOf(Filter);
      expect({ ...first }).toEqual({ direction: 'incoming', limit: 5 });
      first.limit = 99;
      const second = (await query(pipe, { direction: 'incoming', limit: '5' })) as Filter;
      expect(second).toBeInstanceOf(Filter);
      expect(second).not.toBe(first);
      expect({ ...second }).toEqual({ direction: 'incoming', limit: 5 });
    });

    it('a refused query is refused each time; another value is checked on its own', async () => {
      const pipe = new StrictValidationPipe();
      for (let i = 0; i < 2; i++) {
        await expect(query(pipe, { direction: 'sideways' })).rejects.toBeInstanceOf(DomainError);
        await expect(query(pipe, { limit: '101' })).rejects.toBeInstanceOf(DomainError);
        await expect(query(pipe, { role: 'admin' })).rejects.toBeInstanceOf(DomainError);
      }
      expect({ ...((await query(pipe, { limit: '100' })) as Filter) }).toEqual({ limit: 100 });
    });
  });
});
