/**
 * The body of a POST that takes none (`{}` or nothing): declared so that the validation pipe
 * refuses any field sent, as for every other body, instead of ignoring it.
 */
export class EmptyBody {}
