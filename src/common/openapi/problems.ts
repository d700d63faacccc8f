import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';

export class FieldErrorView {
  @ApiProperty({ example: 'email' }) field: string;
  @ApiProperty({ example: 'must be an e-mail address' }) message: string;
}

/** RFC 9457 problem details, as every error answer of the API. */
export class ProblemView {
  @ApiProperty({ example: 'https://exchange.example/problems/validation/failed' }) type: string;
  @ApiProperty({ example: 'The request has invalid fields' }) title: string;
  @ApiProperty({ example: 400 }) status: number;
  @ApiProperty() detail: string;
  @ApiProperty({ example: 'validation.failed', description: 'stable machine-readable code' }) code: string;
  @ApiPropertyOptional() instance?: string;
  @ApiPropertyOptional({ type: [FieldErrorView] }) errors?: FieldErrorView[];
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'validation.failed, request.malformed_json (invalid body, query or id)',
  401: 'auth.unauthenticated, auth.invalid_token',
  403: 'access.forbidden: visible, but not an action of your role',
  404: '<resource>.not_found: missing or outside your scope',
  409: 'conflict with the current state',
  413: 'request.body_too_large',
  415: 'request.unsupported_media_type',
  422: 'idempotency.key_reused',
  429: 'rate_limit.exceeded (see Retry-After)',
};

/** Documents the problem+json answers of a route. */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemView),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'error',
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemView) } } },
      }),
    ),
  );
}

/** Documents `{items, nextCursor}` of a list of the given view. */
export function ApiPage(view: new () => unknown): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(view),
    ApiResponse({
      status: 200,
      schema: {
        type: 'object',
        required: ['items', 'nextCursor'],
        properties: { items: { type: 'array', items: { $ref: getSchemaPath(view) } }, nextCursor: { type: 'string', nullable: true } },
      },
    }),
  );
}
