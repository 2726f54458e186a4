import { describe, expect, it } from 'vitest';
import { Shell } from '../../../../sim/cli/shell/shell.ts';
import { done } from '../../../../sim/cli/shell/program.ts';
import { parseScript } from '../../../../sim/cli/shell/words.ts';

const argvEcho = { show: (argv: readonly string[]) => done(`${JSON.stringify(argv.slice(1))}\n`) };

describe('the workstation shell', () => {
  it('splits words as bash does: quotes, escapes, variables, substitution', async () => {
    const sh = new Shell({ programs: argvEcho, env: { TD: 'west.demo', EMPTY: '' } });
    expect((await sh.run(`show a 'b c' "d $TD" e\\ f $EMPTY "$EMPTY" \${TD}x`)).stdout).toBe('["a","b c","d west.demo","e f","","west.demox"]\n');
    expect((await sh.run('show $(echo one two) "$(echo one two)"')).stdout).toBe('["one","two","one two"]\n');
  });

  it('pipes, redirects into the virtual filesystem and reads back', async () => {
    const sh = new Shell();
    await sh.run("printf_missing 2>/dev/null; echo '{\"keys\": []}' > /tmp/cluster1-bundle.json");
    expect(sh.fs.read('/tmp/cluster1-bundle.json')).toBe('{"keys": []}\n');
    expect((await sh.run('cat /tmp/cluster1-bundle.json | grep -c keys')).stdout).toBe('1\n');
    await sh.run('echo more >> /tmp/cluster1-bundle.json');
    expect((await sh.run('wc -l < /tmp/cluster1-bundle.json')).stdout).toBe('2\n');
    expect((await sh.run('echo a; echo b | head -1')).stdout).toBe('a\nb\n');
  });

  it('ls -l shows each file\'s mode, and the SELinux label dot where files carry labels', async () => {
    const sh = new Shell();
    sh.fs.write('/certs/svid.pem', 'cert');
    sh.fs.write('/certs/svid_key.pem', 'key');
    sh.fs.chmod('/certs/svid_key.pem', 0o600);
    expect((await sh.run('ls -l /certs')).stdout).toBe('total 8\n-rw-r--r-- 1 root root     4 Jan  1 00:00 svid.pem\n-rw------- 1 root root     3 Jan  1 00:00 svid_key.pem\n');
    sh.fs.selinuxLabels = true;
    expect((await sh.run('ls -l /certs/svid_key.pem')).stdout).toBe('-rw-------. 1 root root     3 Jan  1 00:00 /certs/svid_key.pem\n');
  });

  it('an assignment from a failing $(…) has its status, and the substitution\'s stderr reaches the terminal', async () => {
    const sh = new Shell();
    expect(await sh.run('X=$(cat /nope)')).toEqual({ stdout: '', stderr: 'cat: /nope: No such file or directory\n', exitCode: 1 });
    expect((await sh.run('X=$(cat /nope 2>/dev/null); echo "rc=$?"')).stdout).toBe('rc=1\n');
    expect((await sh.run('X=$(echo ok)')).exitCode).toBe(0);
    expect(await sh.run('echo $(cat /nope) done')).toEqual({ stdout: 'done\n', stderr: 'cat: /nope: No such file or directory\n', exitCode: 0 });
  });

  it('keeps stdout and stderr apart, and honours 2>&1', async () => {
    const sh = new Shell();
    const r = await sh.run('cat /nope');
    expect(r).toEqual({ stdout: '', stderr: 'cat: /nope: No such file or directory\n', exitCode: 1 });
    expect((await sh.run('cat /nope 2>&1')).stdout).toBe('cat: /nope: No such file or directory\n');
  });

  it('runs && and || on exit codes and exposes $?', async () => {
    const sh = new Shell();
    expect((await sh.run('false && echo no || echo yes')).stdout).toBe('yes\n');
    expect((await sh.run('grep -q x /dev/null; echo $?')).stdout).toBe('1\n');
  });

  it('exports variables and applies leading assignments', async () => {
    const sh = new Shell();
    await sh.run('export CTX=west');
    expect((await sh.run('echo $CTX')).stdout).toBe('west\n');
    await sh.run('APP_DOMAIN=apps.example.com');
    expect((await sh.run('echo federation.$APP_DOMAIN')).stdout).toBe('federation.apps.example.com\n');
  });

  it('fails unknown commands like bash, and reports syntax errors', async () => {
    const sh = new Shell();
    expect(await sh.run('istioctl version')).toEqual({ stdout: '', stderr: 'bash: istioctl: command not found\n', exitCode: 127 });
    expect((await sh.run('echo "unterminated')).stderr).toContain('syntax error');
    expect(parseScript('a | | b').ok).toBe(false);
  });

  it('shows grep context lines with -A/-B/-C', async () => {
    const sh = new Shell();
    sh.fs.write('/home/user/log', 'a\nerror one\nb\nc\nd\nerror two\ne\n');
    expect((await sh.run('grep -A1 error log')).stdout).toBe('error one\nb\n--\nerror two\ne\n');
    expect((await sh.run('grep -C 1 two log')).stdout).toBe('d\nerror two\ne\n');
  });

  it('decodes base64 as the guides do with secrets', async () => {
    const sh = new Shell();
    expect((await sh.run("echo -n 'aGVsbG8=' | base64 -d")).stdout).toBe('hello');
    expect((await sh.run('echo -n hello | base64')).stdout).toBe('aGVsbG8=\n');
  });
});
