// The ordered list of migrations; `npm run migration:generate -- Name` appends to it.
import { Initial1795849093612 } from './1795849093612-Initial.js';

export const migrations = [
  Initial1795849093612,
];
