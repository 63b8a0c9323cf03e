/**
 * Limits of the widget's forms, apart from the schemas: the widget checks them before sending and
 * must not bundle the validator (valibot) to read them.
 */

/** The longest name the join form takes. */
export const NAME_MAX = 200
