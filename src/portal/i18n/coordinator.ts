import type { Text } from '../../common/errors/define-errors.js';

export const coordinator = {} satisfies Record<string, Text>;
