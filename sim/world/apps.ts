/**
 * The sample applications the guides deploy, as their HTTP servers answer. helloworld
 * (istio samples/helloworld/src/app.py): `/hello` → `Hello version: <SERVICE_VERSION>, instance: <HOSTNAME>\n`,
 * `/health` → `Helloworld is healthy`; Flask's 404 page otherwise. Other images: nothing listens.
 */
import type { HttpRequest, HttpResponse } from '../envoy/call.ts';
import type { KubeObject } from '../kube/object.ts';

interface Container {
  readonly name: string;
  readonly image?: string;
  readonly env?: readonly { name: string; value?: string }[];
  readonly ports?: readonly { containerPort: number }[];
}

const FLASK_404 =
  '<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n';

export function appAnswer(pod: KubeObject, port: number, req: HttpRequest): HttpResponse | undefined {
  const containers = ((pod.spec as { containers?: Container[] }).containers ?? []).filter((c) => c.name !== 'istio-proxy');
  for (const c of containers) {
    const hello = /examples-helloworld-(v\d+)/.exec(c.image ?? '');
    if (hello && port === 5000) {
      const version = c.env?.find((e) => e.name === 'SERVICE_VERSION')?.value ?? hello[1]!;
      const headers = { 'content-type': 'text/html; charset=utf-8', server: 'envoy' };
      if (req.path === '/hello') return { status: 200, body: `Hello version: ${version}, instance: ${pod.metadata.name}\n`, headers };
      if (req.path === '/health') return { status: 200, body: 'Helloworld is healthy', headers };
      return { status: 404, body: FLASK_404, headers };
    }
  }
  return undefined;
}
