"""A test PKI: a root CA and end-entity certificates in PKCS#12, made with cryptography; and a
second, unrelated root with a certificate of its own (a trust root the briefing's signers do not
chain to, and an intruder who signs with it)."""
from __future__ import annotations
import datetime as dt
from pathlib import Path
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

def _name(cn, org="UBND tỉnh Quảng Ngãi"):
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"), x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])

def _root(cn, now):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (x509.CertificateBuilder().subject_name(_name(cn, "Test")).issuer_name(_name(cn, "Test"))
            .public_key(key.public_key()).serial_number(1).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=True, crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    return key, cert

def make(folder: Path, password: bytes = b"mat-khau"):
    now = dt.datetime.now(dt.timezone.utc)
    root_key, root = _root("Test Root CA", now)
    def leaf(cn, org, serial, usage=True, days=(-1, 365), issuer=(root_key, root), time_stamping=False):
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        builder = (x509.CertificateBuilder().subject_name(_name(cn, org)).issuer_name(issuer[1].subject).public_key(key.public_key())
                   .serial_number(serial).not_valid_before(now + dt.timedelta(days=days[0])).not_valid_after(now + dt.timedelta(days=days[1]))
                   .add_extension(x509.KeyUsage(digital_signature=usage, content_commitment=usage, key_encipherment=not usage, data_encipherment=False,
                                                key_agreement=False, key_cert_sign=False, crl_sign=False, encipher_only=False, decipher_only=False), critical=True))
        if time_stamping:
            builder = builder.add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        return key, builder.sign(issuer[0], hashes.SHA256())
    out = {}
    keyless = folder / "keyless.p12"         # a certificate without its private key
    keyless.write_bytes(pkcs12.serialize_key_and_certificates(b"x", None, root, None,
                                                              serialization.BestAvailableEncryption(password)))
    out["keyless"] = keyless
    for name, cn, org, serial, usage, days in (("signer", "Nguyễn Văn A", "UBND tỉnh Quảng Ngãi", 2, True, (-1, 365)),
                                                ("org", "Ủy ban nhân dân tỉnh Quảng Ngãi", "UBND tỉnh Quảng Ngãi", 3, True, (-1, 365)),
                                                ("expired", "Hết Hạn", "X", 4, True, (-400, -30)),
                                                ("nousage", "Không Dùng Ký", "X", 5, False, (-1, 365))):
        key, cert = leaf(cn, org, serial, usage, days)
        p = folder / f"{name}.p12"
        p.write_bytes(pkcs12.serialize_key_and_certificates(name.encode(), key, cert, [root],
                                                            serialization.BestAvailableEncryption(password)))
        out[name] = p
    (folder / "root.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    out["root"] = folder / "root.pem"
    other_key, other = _root("Other Root CA", now)
    (folder / "other-root.pem").write_bytes(other.public_bytes(serialization.Encoding.PEM))
    out["other_root"] = folder / "other-root.pem"
    key, cert = leaf("Kẻ Mạo Danh", "UBND tỉnh Quảng Ngãi", 6, issuer=(other_key, other))
    out["intruder"] = folder / "intruder.p12"
    out["intruder"].write_bytes(pkcs12.serialize_key_and_certificates(b"intruder", key, cert, [other],
                                                                     serialization.BestAvailableEncryption(password)))
    key, cert = leaf("Test TSA", "Test", 7, issuer=(other_key, other), time_stamping=True)   # a time-stamping authority
    out["tsa"] = folder / "tsa.p12"
    out["tsa"].write_bytes(pkcs12.serialize_key_and_certificates(b"tsa", key, cert, [other],
                                                                serialization.BestAvailableEncryption(password)))
    return out
