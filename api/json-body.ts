import type { FastifyInstance } from 'fastify';

/**
 * JSON bodies as fastify parses them, except that an empty one is no body at all: a client that
 * sends `content-type: application/json` with nothing after it (curl -H … -X POST, many SDKs) is
 * not refused on a route that needs no body. Where a body is needed, its schema still says so.
 */
export function registerJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    void parseJson(request, text, done);
  });
}
