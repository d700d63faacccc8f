import type { Text } from '../../common/errors/define-errors.js';

export const admin = {} satisfies Record<string, Text>;
