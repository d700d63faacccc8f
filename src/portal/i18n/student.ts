import type { Text } from '../../common/errors/define-errors.js';

export const student = {} satisfies Record<string, Text>;
