import { ValidateBy, type ValidationOptions } from 'class-validator';

import {
  isCertificateFingerprint,
  isHostAddress,
  isIPv4,
  isMacAddress,
  isPemCertificate,
  isPrivateKeyText,
  isSshFingerprint,
} from './network-rules';

function rule(
  name: string,
  test: (value: string) => boolean,
  message: string,
  options?: ValidationOptions,
): PropertyDecorator {
  return ValidateBy(
    {
      name,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && test(value),
        defaultMessage: () => message,
      },
    },
    options,
  );
}

export const IsHostAddress = (o?: ValidationOptions): PropertyDecorator =>
  rule('isHostAddress', isHostAddress, 'must be an IPv4 or IPv6 address or a DNS host name', o);
export const IsIPv4Address = (o?: ValidationOptions): PropertyDecorator =>
  rule('isIPv4Address', isIPv4, 'must be an IPv4 address (e.g. 10.0.0.255)', o);
export const IsMacAddress = (o?: ValidationOptions): PropertyDecorator =>
  rule('isMacAddress', isMacAddress, 'each must be a MAC address such as 00:50:56:aa:bb:01', { each: true, ...o });
export const IsSshFingerprint = (o?: ValidationOptions): PropertyDecorator =>
  rule(
    'isSshFingerprint',
    isSshFingerprint,
    'must be an OpenSSH SHA256 fingerprint (SHA256:<43 base64 characters>)',
    o,
  );
export const IsCertificateFingerprint = (o?: ValidationOptions): PropertyDecorator =>
  rule(
    'isCertificateFingerprint',
    isCertificateFingerprint,
    'must be a SHA-256 fingerprint: 64 hex digits, optionally colon-separated',
    o,
  );
export const IsPemCertificate = (o?: ValidationOptions): PropertyDecorator =>
  rule('isPemCertificate', isPemCertificate, 'must be a PEM certificate (-----BEGIN CERTIFICATE----- ...)', o);
export const IsPrivateKeyText = (o?: ValidationOptions): PropertyDecorator =>
  rule(
    'isPrivateKeyText',
    isPrivateKeyText,
    'must be a PEM or OpenSSH private key (-----BEGIN ... PRIVATE KEY-----)',
    o,
  );
