/**
 * Test certificates made with the `openssl` command (node:crypto cannot sign X.509): a CA,
 * a server certificate for 127.0.0.1 and localhost, and a client certificate, all signed by
 * that CA; plus an unrelated CA (and a client certificate signed by it) for "untrusted" cases.
 * EC P-256 keys, so generating everything takes well under a second.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export interface CertFiles {
  dir: string;
  /** Paths of the PEM files. */
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  otherCaCert: string;
  otherClientCert: string;
  otherClientKey: string;
  /** The PEM text of a file above. */
  pem(file: string): string;
}

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync("openssl", args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? "";
    throw new Error(`openssl ${args.join(" ")} failed: ${stderr || (err as Error).message} (is openssl installed? apt-get install -y openssl)`);
  }
}

function makeCa(dir: string, name: string): void {
  openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", `${name}.key`], dir);
  openssl(["req", "-x509", "-new", "-key", `${name}.key`, "-sha256", "-days", "2", "-subj", `/CN=Flowhouse test ${name}`, "-out", `${name}.crt`], dir);
}

function makeLeaf(dir: string, name: string, ca: string, cn: string, ext: string): void {
  openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", `${name}.key`], dir);
  openssl(["req", "-new", "-key", `${name}.key`, "-subj", `/CN=${cn}`, "-out", `${name}.csr`], dir);
  writeFileSync(path.join(dir, `${name}.ext`), ext);
  openssl(
    ["x509", "-req", "-in", `${name}.csr`, "-CA", `${ca}.crt`, "-CAkey", `${ca}.key`, "-CAcreateserial", "-days", "2", "-sha256", "-extfile", `${name}.ext`, "-out", `${name}.crt`],
    dir,
  );
}

export function makeTestCerts(): CertFiles {
  const dir = mkdtempSync(path.join(tmpdir(), "flowhouse-certs-"));
  makeCa(dir, "ca");
  makeLeaf(dir, "server", "ca", "127.0.0.1", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
  makeLeaf(dir, "client", "ca", "flowhouse-test-client", "extendedKeyUsage=clientAuth\n");
  makeCa(dir, "other-ca");
  makeLeaf(dir, "other-client", "other-ca", "flowhouse-stranger", "extendedKeyUsage=clientAuth\n");
  const f = (name: string) => path.join(dir, name);
  return {
    dir,
    caCert: f("ca.crt"),
    serverCert: f("server.crt"),
    serverKey: f("server.key"),
    clientCert: f("client.crt"),
    clientKey: f("client.key"),
    otherCaCert: f("other-ca.crt"),
    otherClientCert: f("other-client.crt"),
    otherClientKey: f("other-client.key"),
    pem: (file) => readFileSync(file, "utf8"),
  };
}
