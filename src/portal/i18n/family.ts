import type { Text } from '../../common/errors/define-errors.js';

export const family = {} satisfies Record<string, Text>;
