import type { Text } from '../../common/errors/define-errors.js';

export const hostSchool = {} satisfies Record<string, Text>;
