import type { Request, RequestHandler, Response } from 'express';
import type * as z from 'zod';
import { fieldErrors } from '../../contract/index.js';
import { ApiError } from '../errors.js';

/** A validating middleware that also hands the handler what it parsed. */
export type Validator<T> = RequestHandler & {
  /** The parsed value of this request (the middleware ran before the handler). */
  data(res: Response): T;
};

/**
 * Checks one input of a request against its contract schema (STYLE §4: handlers see only
 * parsed data, never raw `req.body`): 400 `validation_failed` with the field errors
 * otherwise. `from` picks the input (default: the JSON body).
 *
 * @example const body = validate(CreateRegistration); router.post('/', jsonBody, body, (req, res) => use(body.data(res)))
 */
export function validate<S extends z.ZodType>(schema: S, from: (req: Request) => unknown = (req) => req.body): Validator<z.output<S>> {
  const parsed = new WeakMap<Response, z.output<S>>();
  const middleware: RequestHandler = function validate(req, res, next) {
    const result = schema.safeParse(from(req));
    if (!result.success) throw ApiError.validation(fieldErrors(result.error.issues));
    parsed.set(res, result.data);
    next();
  };
  return Object.assign(middleware, {
    data(res: Response): z.output<S> {
      if (!parsed.has(res)) throw new Error('validate() did not run before this handler');
      return parsed.get(res)!;
    },
  });
}
