import { describe, expect, it } from 'vitest';
import { Shell } from '../../../../sim/cli/shell/shell.ts';
import { parseScript } from '../../../../sim/cli/shell/words.ts';

const run = async (line: string, sh = new Shell()) => sh.run(line);

describe('shell control flow the guides use', () => {
  it('runs for loops over substitutions, braces and multi-line bodies', async () => {
    expect((await run('for i in $(seq 1 3); do echo hi $i; done')).stdout).toBe('hi 1\nhi 2\nhi 3\n');
    expect((await run('for i in {1..10}; do echo $i; done | wc -l')).stdout).toBe('10\n');
    expect((await run('for c in west east\ndo\n  echo "ctx $c"\ndone')).stdout).toBe('ctx west\nctx east\n');
    const sh = new Shell();
    await sh.run('for i in 1 2; do echo $i; done > /tmp/out.txt');
    expect(sh.fs.read('/tmp/out.txt')).toBe('1\n2\n');
  });

  it('expands braces as bash does, and leaves quoted or single items alone', async () => {
    expect((await run(`echo {a,b}{1,2} x{01..03}y {c..a} {1..10..3} {a} '{a,b}' "{1..2}"`)).stdout).toBe('a1 a2 b1 b2 x01y x02y x03y c b a 1 4 7 10 {a} {a,b} {1..2}\n');
  });

  it('feeds a subshell\'s combined output into a pipe, without leaking its variables or cd', async () => {
    const sh = new Shell({ env: { x: 'abc' } });
    sh.fs.write('/home/user/a.yaml', 'name: ${CLUSTER}\n');
    const r = await sh.run('(cat a.yaml; echo -e "  trustDomainBundle: |-\\n$x") | sed "s/\\${CLUSTER}/west/g"');
    expect(r.stdout).toBe('name: west\n  trustDomainBundle: |-\nabc\n');
    expect((await sh.run('(cd /tmp; Y=1; pwd); pwd; echo "[$Y]"')).stdout).toBe('/tmp\n/home/user\n[]\n');
    expect((await sh.run("{ echo a; echo b; } | sed 's/^/    /'")).stdout).toBe('    a\n    b\n');
  });

  it('reports bash syntax errors for misplaced keywords and refuses if/while plainly', async () => {
    expect(await run('for i in 1 2; do echo $i done')).toEqual({ stdout: '', stderr: 'bash: syntax error: unexpected end of file\n', exitCode: 2 });
    expect((await run('echo a; done')).stderr).toBe("bash: syntax error near unexpected token `done'\n");
    expect((await run('if true; then echo a; fi')).stderr).toBe("bash: syntax error: `if' is not supported by the lab's shell (only `for')\n");
    expect(parseScript('( echo a').ok).toBe(false);
  });
});

describe('echo, printf, seq', () => {
  it('interprets echo -e escapes in one pass, and -n', async () => {
    expect((await run(`echo -e 'a\\tb\\\\nc\\x41'; echo -n x; echo -e 'stop\\cnot'`)).stdout).toBe('a\tb\\ncA\nxstop');
  });

  it('reuses the printf format while arguments remain', async () => {
    expect((await run(`printf '%s-%d\\n' a 1 b 2 c`)).stdout).toBe('a-1\nb-2\nc-0\n');
    expect(await run(`printf '%d\\n' abc`)).toEqual({ stdout: '0\n', stderr: 'bash: printf: abc: invalid number\n', exitCode: 1 });
  });

  it('counts with seq and fails as coreutils does', async () => {
    expect((await run('seq 3; seq 2 4; seq 1 2 7; seq -w 8 10')).stdout).toBe('1\n2\n3\n2\n3\n4\n1\n3\n5\n7\n08\n09\n10\n');
    expect(await run('seq')).toEqual({ stdout: '', stderr: "seq: missing operand\nTry 'seq --help' for more information.\n", exitCode: 1 });
  });
});

describe('sed', () => {
  it('substitutes with any delimiter, groups, & and anchors', async () => {
    expect((await run(`echo 'a.b.c' | sed 's|\\.|/|g'`)).stdout).toBe('a/b/c\n');
    expect((await run(`echo 'hello world' | sed 's/\\(hello\\) \\(world\\)/\\2 \\1 [&]/'`)).stdout).toBe('world hello [hello world]\n');
    expect((await run(`echo 'x=1' | sed -e 's/=/: /' -e 's/^/  /'`)).stdout).toBe('  x: 1\n');
    expect((await run(`echo 'a+b(c) $' | sed 's/+/ plus /; s/(c)/[c]/; s/\\$$/USD/'`)).stdout).toBe('a plus b[c] USD\n');
    expect((await run(`printf 'a\\nb' | sed 's/$/;/'`)).stdout).toBe('a;\nb;');
  });

  it('selects lines with addresses, -n and p, d', async () => {
    expect((await run(`printf 'x\\ny\\nz\\n' | sed -n '2p'; printf 'x\\ny\\nz\\n' | sed '/y/d'; printf 'x\\ny\\nz\\n' | sed '2,$s/^/>/'`)).stdout).toBe('y\nx\nz\nx\n>y\n>z\n');
  });

  it('reads files and reports GNU sed errors', async () => {
    expect(await run('echo abc | sed "s/b/X"')).toEqual({ stdout: '', stderr: "sed: -e expression #1, char 5: unterminated `s' command\n", exitCode: 1 });
    expect((await run("echo x | sed -e 's/x/y/' -e 'k'")).stderr).toBe("sed: -e expression #2, char 1: unknown command: `k'\n");
    expect((await run("echo x | sed 's/\\(x/y/'")).stderr).toBe('sed: -e expression #1, char 8: Unmatched ( or \\(\n');
    expect(await run('sed s/x/y/ nofile')).toEqual({ stdout: '', stderr: "sed: can't read nofile: No such file or directory\n", exitCode: 2 });
  });

  it('edits in place with -i', async () => {
    const sh = new Shell();
    sh.fs.write('/home/user/helper.conf', 'agent_address = "/run/spire/sockets/agent.sock"\n');
    await sh.run(`sed -i 's#/run/spire/sockets#/spiffe-workload-api#' helper.conf`);
    expect(sh.fs.read('/home/user/helper.conf')).toBe('agent_address = "/spiffe-workload-api/agent.sock"\n');
  });
});

const ENVOY_DUMP = JSON.stringify({
  configs: [
    { '@type': 'type.googleapis.com/envoy.admin.v3.SecretsConfigDump', dynamic_active_secrets: [{ name: 'default', secret: { tls_certificate: { certificate_chain: { inline_bytes: 'LS0t' } } } }, { name: 'ROOTCA' }] },
    { '@type': 'type.googleapis.com/envoy.admin.v3.ClustersConfigDump' },
  ],
});

describe('jq', () => {
  it('indexes paths and prints raw strings', async () => {
    expect((await run(`echo '{"a":{"b":[1,2]}}' | jq -r '.a.b[1]'`)).stdout).toBe('2\n');
    expect((await run(`echo '{"items":[{"metadata":{"name":"p1"}},{"metadata":{"name":"p2"}}]}' | jq -r '.items[].metadata.name'`)).stdout).toBe('p1\np2\n');
  });

  it('pretty-prints with two spaces, keeping key order', async () => {
    expect((await run(`echo '{"b":{"c":[1,{}],"d":[]},"1":null}' | jq '.'`)).stdout).toBe('{\n  "b": {\n    "c": [\n      1,\n      {}\n    ],\n    "d": []\n  },\n  "1": null\n}\n');
  });

  it('digs the workload certificate out of an Envoy config dump', async () => {
    const sh = new Shell();
    sh.fs.write('/home/user/dump.json', ENVOY_DUMP);
    const r = await sh.run(
      `cat dump.json | jq -r '.configs[] | select(.["@type"] | contains("SecretsConfigDump")) | .dynamic_active_secrets[] | select(.name == "default") | .secret.tls_certificate.certificate_chain.inline_bytes' | base64 -d`,
    );
    expect(r).toEqual({ stdout: '---', stderr: '', exitCode: 0 });
  });

  it('rewrites a JSON document held in a string field', async () => {
    const sh = new Shell();
    sh.fs.write('/home/user/cm.json', JSON.stringify({ data: { 'agent.json': '{"agent":{"socket_path":"/old"},"x":1}' } }));
    const r = await sh.run(`jq -c '.data["agent.json"] = (.data["agent.json"] | fromjson | .agent.socket_path = "/tmp/spire-agent/public/socket" | tojson)' cm.json`);
    expect(r.stdout).toBe('{"data":{"agent.json":"{\\"agent\\":{\\"socket_path\\":\\"/tmp/spire-agent/public/socket\\"},\\"x\\":1}"}}\n');
    expect((await sh.run(`jq -c '.data |= with_entries(.value |= (fromjson | .x += 1 | tojson))' cm.json`)).stdout).toContain('\\"x\\":2');
  });

  it('supports the usual builtins, interpolation and --arg', async () => {
    expect((await run(`echo '[3,1,2]' | jq -c 'sort, length, map(.*2), add, [.[] | select(. > 1)], (map(tostring) | join("-"))'`)).stdout).toBe('[1,2,3]\n3\n[6,2,4]\n6\n[3,2]\n"3-1-2"\n');
    expect((await run(`jq -n -c --arg td west '{trust_domain: $td, s: "n=\\(1+2)"}'`)).stdout).toBe('{"trust_domain":"west","s":"n=3"}\n');
    expect((await run(`echo '{"a":null}' | jq -c '.a // "d", (if .a then 1 elif .b then 2 else 3 end), ([1,2] | reduce .[] as $x (0; . + $x)), del(.a)'`)).stdout).toBe('"d"\n3\n3\n{}\n');
  });

  it('fails as jq does: bad input, runtime errors, unknown functions', async () => {
    expect(await run(`echo 'abc' | jq .`)).toEqual({ stdout: '', stderr: 'jq: parse error: Invalid numeric literal at line 2, column 0\n', exitCode: 2 });
    expect(await run(`echo '{"a":1' | jq .`)).toEqual({ stdout: '', stderr: 'jq: parse error: Unfinished JSON term at EOF at line 2, column 0\n', exitCode: 2 });
    expect(await run(`echo '"x"' | jq .a`)).toEqual({ stdout: '', stderr: 'jq: error (at <stdin>:1): Cannot index string with "a"\n', exitCode: 5 });
    expect(await run(`echo '"abcdefghijklmnopq"' | jq '.[]'`)).toEqual({ stdout: '', stderr: 'jq: error (at <stdin>:1): Cannot iterate over string ("abcdefghij...)\n', exitCode: 5 });
    expect((await run(`echo '"nope"' | jq fromjson`)).stderr).toBe("jq: error (at <stdin>:1): Invalid literal at EOF at line 1, column 4 (while parsing 'nope')\n");
    expect(await run(`echo '{}' | jq '.a | foo'`)).toEqual({ stdout: '', stderr: 'jq: error: foo/0 is not defined at <top-level>, line 1:\n.a | foo\njq: 1 compile error\n', exitCode: 3 });
    expect((await run(`echo null | jq -e .; echo $?`)).stdout).toBe('null\n1\n');
  });
});

describe('tr, cut, awk, xargs', () => {
  it('slices lines as coreutils and awk do', async () => {
    expect((await run(`echo Hello | tr a-z A-Z; echo 'a  b' | tr -s ' '; echo 'a-b' | tr -d '-'`)).stdout).toBe('HELLO\na b\nab\n');
    expect((await run(`echo 'a:b:c' | cut -d: -f2; echo 'a:b:c' | cut -d: -f1,3; echo abcdef | cut -c2-4`)).stdout).toBe('b\na:c\nbcd\n');
    expect((await run(`echo ' a  b c' | awk '{print $2}'; echo 'a:b' | awk -F: '{print $2}'; echo 'a b' | awk '{print $NF, "n=" $1}'`)).stdout).toBe('b\nb\nb n=a\n');
    expect((await run(`echo x | cut -f0`)).stderr).toBe("cut: fields are numbered from 1\nTry 'cut --help' for more information.\n");
    expect((await run(`echo x | awk '{n++}'`)).stderr).toBe("awk: the lab's awk runs only '{print $N, …}' programs, not: {n++}\n");
  });

  it('builds command lines with xargs', async () => {
    expect((await run(`printf 'p1\\np2\\n' | xargs -I {} echo pod/{}; echo a b c | xargs -n2 echo got`)).stdout).toBe('pod/p1\npod/p2\ngot a b\ngot c\n');
    expect(await run('echo a | xargs nosuch')).toEqual({ stdout: '', stderr: 'xargs: nosuch: No such file or directory\n', exitCode: 127 });
  });
});

describe('uniq', () => {
  it('counts adjacent lines as GNU uniq -c prints them', async () => {
    const r = await run("printf 'a\\na\\nb\\n' | uniq -c");
    expect(r.stdout).toBe('      2 a\n      1 b\n');
  });
});
