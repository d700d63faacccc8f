import { Injectable, ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { CommonErrors, type FieldError } from '../errors/domain-error.js';

/** Flattens class-validator's tree into `[{field: 'quotas[0].seats', ...}]`. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = parent ? (/^\d+$/.test(error.property) ? `${parent}[${error.property}]` : `${parent}.${error.property}`) : error.property;
    for (const [key, message] of Object.entries(error.constraints ?? {})) {
      const params: Record<string, string | number> = {};
      const raw = error.contexts?.[key] as Record<string, string | number> | undefined;
      if (raw) Object.assign(params, raw);
      // class-validator messages start with the property name; our field already names it.
      out.push({ field, key, message: message.startsWith(error.property + ' ') ? message.slice(error.property.length + 1) : message, params });
    }
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

/**
 * Whitelisting with unknown fields refused (never silently dropped), nested DTOs validated,
 * no implicit type conversion (query DTOs convert their own numbers explicitly), and a
 * body that is not a JSON object refused with a field error rather than reaching a service.
 */
@Injectable()
export class StrictValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      forbidUnknownValues: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => CommonErrors.validation(flattenValidationErrors(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const isDto = typeof metadata.metatype === 'function' && ![String, Number, Boolean, Array, Object].includes(metadata.metatype as never);
    if (isDto && (metadata.type === 'body' || metadata.type === 'query')) {
      if (value === undefined && metadata.type === 'body') value = {};
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw CommonErrors.invalidField('', 'body', 'the body must be a JSON object');
      }
    }
    return super.transform(value, metadata);
  }
}
