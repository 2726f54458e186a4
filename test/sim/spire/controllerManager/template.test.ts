import { describe, expect, it } from 'vitest';
import { templateData } from '../../../../sim/spire/controllerManager/goValue.ts';
import { GoTemplate } from '../../../../sim/spire/controllerManager/template.ts';
import { must } from './harness.ts';

const node = { metadata: { name: 'worker-1', uid: '5d2c1b7e-0000-4000-8000-000000000001', labels: { zone: 'a' } }, spec: { podCIDR: '10.0.1.0/24' } };
const pod = {
  metadata: { name: 'web-1', namespace: 'shop', uid: 'pod-uid-1', labels: { app: 'web', 'app.kubernetes.io/name': 'storefront' } },
  spec: { serviceAccountName: 'web-sa', nodeName: 'worker-1' },
};
const data = templateData({ trustDomain: 'east.local', clusterName: 'east', clusterDomain: 'cluster.local', node, pod });
const render = (text: string, d = data) => {
  const t = GoTemplate.parse('spiffeIDTemplate', text);
  if (!t.ok) return `parse: ${t.error.message}`;
  const r = t.value.execute(d);
  return r.ok ? r.value : `exec: ${r.error.message}`;
};

describe('Go text/template for ClusterSPIFFEID templates', () => {
  it('renders Go field paths of templateData', () => {
    expect(render('spiffe://{{ .TrustDomain }}/ns/{{ .PodMeta.Namespace }}/sa/{{ .PodSpec.ServiceAccountName }}')).toBe('spiffe://east.local/ns/shop/sa/web-sa');
    expect(render('spiffe://{{ .TrustDomain }}/spire/agent/k8s_psat/{{ .ClusterName }}/{{ .NodeMeta.UID }}')).toBe(
      'spiffe://east.local/spire/agent/k8s_psat/east/5d2c1b7e-0000-4000-8000-000000000001',
    );
    expect(render('{{ .PodSpec.NodeName }} {{ .NodeSpec.PodCIDR }} {{ .ClusterDomain }}')).toBe('worker-1 10.0.1.0/24 cluster.local');
  });

  it('index reads label keys with dots and slashes; a missing key via index is empty', () => {
    expect(render('{{ index .PodMeta.Labels "app.kubernetes.io/name" }}')).toBe('storefront');
    expect(render('[{{ index .PodMeta.Labels "missing" }}]')).toBe('[]');
  });

  it('a missing map key with field syntax prints <no value> (Go default missingkey)', () => {
    expect(render('spiffe://east.local/app/{{ .PodMeta.Labels.version }}')).toBe('spiffe://east.local/app/<no value>');
    expect(render('{{ .PodMeta.Labels.app }}')).toBe('web');
  });

  it('honours trim markers and comments', () => {
    expect(render('a  {{- .PodMeta.Name -}}  b')).toBe('aweb-1b');
    expect(render('a {{- /* note */ -}} b')).toBe('ab');
    expect(render('spiffe://{{ .TrustDomain }}/\n  {{- .PodMeta.Name }}')).toBe('spiffe://east.local/web-1');
  });

  it('pipelines, printf and if/else', () => {
    expect(render('{{ .PodMeta.Name | printf "%s-svc" }}')).toBe('web-1-svc');
    expect(render('{{ printf "%s.%s" .PodMeta.Name .PodMeta.Namespace }}')).toBe('web-1.shop');
    expect(render('{{ if .PodMeta.Labels.app }}yes{{ else }}no{{ end }}')).toBe('yes');
    expect(render('{{ if eq .PodMeta.Namespace "other" }}a{{ else if eq .PodMeta.Namespace "shop" }}b{{ end }}')).toBe('b');
    expect(render('{{ len .PodMeta.Labels }}')).toBe('2');
  });

  it('parse errors read as Go prints them', () => {
    expect(render('spiffe://{{ .TrustDomain }')).toBe("parse: template: spiffeIDTemplate:1: unrecognized character in action: U+007D '}'");
    expect(render('spiffe://{{ .TrustDomain ')).toBe('parse: template: spiffeIDTemplate:1: unclosed action');
    expect(render('{{ lower .PodMeta.Name }}')).toBe('parse: template: spiffeIDTemplate:1: function "lower" not defined');
    expect(render('{{ }}')).toBe('parse: template: spiffeIDTemplate:1: missing value for command');
    expect(render('{{ end }}')).toBe('parse: template: spiffeIDTemplate:1: unexpected {{end}}');
    expect(render('{{ if .PodMeta.Name }}x')).toBe('parse: template: spiffeIDTemplate:1: unexpected EOF');
    expect(render('{{ "abc }}')).toBe('parse: template: spiffeIDTemplate:1: unterminated quoted string');
  });

  it('execution errors name the node, position and Go type', () => {
    expect(render('spiffe://x/{{ .PodMeta.Nmae }}')).toBe(
      'exec: template: spiffeIDTemplate:1:14: executing "spiffeIDTemplate" at <.PodMeta.Nmae>: can\'t evaluate field Nmae in type *v1.ObjectMeta',
    );
    expect(render('{{ .Namespace }}')).toBe(
      'exec: template: spiffeIDTemplate:1:3: executing "spiffeIDTemplate" at <.Namespace>: can\'t evaluate field Namespace in type *spireentry.templateData',
    );
    // the parent ID is rendered without pod data: .PodMeta is a nil pointer
    const parentOnly = templateData({ trustDomain: 'east.local', clusterName: 'east', clusterDomain: '', node });
    expect(render('{{ .PodMeta.Name }}', parentOnly)).toBe(
      'exec: template: spiffeIDTemplate:1:3: executing "spiffeIDTemplate" at <.PodMeta.Name>: nil pointer evaluating *v1.ObjectMeta.Name',
    );
  });

  it('is reusable: one parse, many executions', () => {
    const t = must(GoTemplate.parse('x', '{{ .PodMeta.Name }}'));
    expect(must(t.execute(data))).toBe('web-1');
    expect(must(t.execute(templateData({ trustDomain: 't', clusterName: 'c', clusterDomain: '', node, pod: { metadata: { name: 'other' } } })))).toBe('other');
  });
});

describe('GoTemplate.parse cache', () => {
  it('returns the same parsed template for the same name and text, and parses errors the same way each time', () => {
    const a = GoTemplate.parse('spiffeIDTemplate', 'spiffe://{{ .TrustDomain }}/ns/{{ .PodMeta.Namespace }}');
    const b = GoTemplate.parse('spiffeIDTemplate', 'spiffe://{{ .TrustDomain }}/ns/{{ .PodMeta.Namespace }}');
    expect(a.ok && b.ok && a.value === b.value).toBe(true);
    const other = GoTemplate.parse('dnsNameTemplate', 'spiffe://{{ .TrustDomain }}/ns/{{ .PodMeta.Namespace }}');
    expect(other.ok && other.value.name).toBe('dnsNameTemplate');
    const bad1 = GoTemplate.parse('t', '{{ .A ');
    const bad2 = GoTemplate.parse('t', '{{ .A ');
    expect(bad1).toEqual(bad2);
    expect(bad1.ok).toBe(false);
  });
});
