import { describe, expect, it } from 'vitest';
import { hclBlocks, hclLabelled, hclMergeBlocks, parseConfigAst, parseConfigText, parseHcl } from '../../../sim/spire/hcl.ts';
import { unwrap } from '../../../sim/core/result.ts';

describe('HCL v1 parser', () => {
  it('decodes attributes, blocks with labels and repeated blocks as hcl v1 does', () => {
    const text = `
# comment
server {
  trust_domain = "west.local" // trailing
  bind_port = 8081
  ratio = 1.5
  enabled = true
  admin_ids = ["spiffe://a/b", "spiffe://a/c",]
  /* block
     comment */
}
plugins {
  KeyManager "memory" {
    plugin_data {}
  }
  NodeAttestor "k8s_psat" {
    plugin_data { clusters = { "west" = { service_account_allow_list = ["spire:spire-agent"] } } }
  }
}
`;
    const v = unwrap(parseConfigText(text, 'server.conf'));
    expect(v).toEqual({
      server: [{ trust_domain: 'west.local', bind_port: 8081, ratio: 1.5, enabled: true, admin_ids: ['spiffe://a/b', 'spiffe://a/c'] }],
      plugins: [
        {
          KeyManager: [{ memory: [{ plugin_data: [{}] }] }],
          NodeAttestor: [{ k8s_psat: [{ plugin_data: [{ clusters: [{ west: [{ service_account_allow_list: ['spire:spire-agent'] }] }] }] }] }],
        },
      ],
    });
    expect(hclLabelled(hclMergeBlocks(v.plugins)!.KeyManager).map(([k]) => k)).toEqual(['memory']);
  });

  it('repeated labelled blocks become a list', () => {
    const v = unwrap(parseConfigText('federation {\n federates_with "a.org" { x = 1 }\n federates_with "b.org" { x = 2 }\n}'));
    const fed = hclMergeBlocks(v.federation)!;
    expect(hclLabelled(fed.federates_with)).toEqual([
      ['a.org', { x: 1 }],
      ['b.org', { x: 2 }],
    ]);
  });

  it('strings with escapes, interpolation kept verbatim, heredocs, numbers', () => {
    const v = unwrap(
      parseConfigText(
        'a = "x\\ty\\n\\"q\\" \\u00e9"\nb = "${env("X")}"\nc = <<EOF\nline1\n  line2\nEOF\nd = <<-EOT\n    one\n      two\n    EOT\ne = -3\nf = 0x10\ng = 1e3\n',
      ),
    );
    expect(v).toEqual({ a: 'x\ty\n"q" é', b: '${env("X")}', c: 'line1\n  line2\n', d: 'one\n  two\n', e: -3, f: 16, g: 1000 });
  });

  it('reports errors with line:column', () => {
    const r = parseHcl('server {\n  trust_domain = \n}\n', 'server.conf');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).toMatch(/^At 3:1: /);
      expect(r.error.detail).toMatchObject({ file: 'server.conf', line: 3, column: 1 });
    }
    const r2 = parseHcl('a = "unterminated\n');
    expect(!r2.ok && r2.error.message).toBe('At 1:5: literal not terminated');
    const r3 = parseHcl('server {\n  a = 1\n');
    expect(!r3.ok && r3.error.message).toMatch(/^At 3:1: object expected closing RBRACE got: EOF/);
    const r4 = parseHcl('server foo\n');
    expect(!r4.ok && r4.error.message).toBe("At 2:1: key 'server foo' expected start of object ('{') or assignment ('=')");
  });

  it('JSON form decodes like the HCL form and keeps positions', () => {
    const hcl = unwrap(parseConfigText('server { trust_domain = "a.org" }\nplugins { DataStore "sql" { plugin_data { x = 1 } } }'));
    const json = unwrap(parseConfigText('{"server": {"trust_domain": "a.org"}, "plugins": {"DataStore": [{"sql": {"plugin_data": {"x": 1}}}]}}'));
    expect(hclBlocks(json.server)).toEqual(hclBlocks(hcl.server));
    expect(hclLabelled(hclMergeBlocks(json.plugins)!.DataStore)).toEqual(hclLabelled(hclMergeBlocks(hcl.plugins)!.DataStore));
    const ast = unwrap(parseConfigAst('{\n  "server": {\n    "trust_domain": 5\n  }\n}'));
    const server = ast.items[0]!;
    expect(server.keys[0]!.pos).toMatchObject({ line: 2, column: 3 });
    const bad = parseConfigText('{\n  "a": tru\n}');
    expect(!bad.ok && bad.error.message).toMatch(/^At 2:8: /);
  });
});
