package io.regfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.regfleet.fleet.PodContract;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.RegistryConditions.Reasons;
import io.regfleet.operator.api.v1alpha1.TlsSpec;
import io.regfleet.operator.certmanager.Certificate;
import io.regfleet.operator.dependent.CertManagerCrdPresent;
import io.regfleet.operator.naming.FleetNames;
import io.regfleet.operator.reconciler.Prerequisites.Verdict;

import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * TLSReady. With spec.tls.secretName alone: the Secret holds a certificate chain and the private key of its first
 * certificate, not expired, as the runtime will load them. With spec.tls.issuerRef: cert-manager is installed (its
 * CRD), then, once the workflow made the Certificate, whether cert-manager has issued it ({@link #issued}); pods of a
 * Registry whose certificate is not issued yet wait for its Secret, so the rollout is not gated on it.
 */
final class TlsCheck {
    private TlsCheck() {
    }

    static Verdict check(Registry registry, ReferencedSecrets.Reads secrets, Context<Registry> context, Instant now) {
        TlsSpec tls = registry.getSpec().tls;
        if (tls == null) {
            return Verdict.met(Reasons.TLS_OFF, "no spec.tls: the registry API serves plain HTTP");
        }
        if (tls.issuerRef != null) {
            if (!CertManagerCrdPresent.installed(context)) {
                return Verdict.unmet(Reasons.CERT_MANAGER_NOT_INSTALLED, "spec.tls.issuerRef needs cert-manager, and CRD "
                        + Certificate.CRD + " is not in the cluster: install cert-manager, or name a certificate Secret in"
                        + " spec.tls.secretName alone");
            }
            return Verdict.met(Reasons.CERTIFICATE_REQUESTED, "cert-manager issues Secret " + FleetNames.tlsSecret(registry)
                    + " through " + tls.issuerRef.kind + " " + tls.issuerRef.name);
        }
        String name = tls.secretName;
        SecretCheck secret = SecretCheck.read(secrets.get(name), name, List.of(PodContract.TLS_CERT_KEY, PodContract.TLS_KEY_KEY));
        if (!secret.ok()) {
            return Verdict.unmet(secret.failureReason(), secret.failureMessage());
        }
        List<X509Certificate> chain = PemContent.of(secret.values().get(PodContract.TLS_CERT_KEY)).certificates();
        if (chain.isEmpty()) {
            return Verdict.unmet(Reasons.CERTIFICATE_UNPARSABLE, "Secret " + name + " key " + PodContract.TLS_CERT_KEY
                    + " holds no PEM certificate");
        }
        Optional<PrivateKey> key = PemContent.of(secret.values().get(PodContract.TLS_KEY_KEY)).privateKey();
        if (key.isEmpty()) {
            return Verdict.unmet(Reasons.CERTIFICATE_UNPARSABLE, "Secret " + name + " key " + PodContract.TLS_KEY_KEY
                    + " holds no PEM private key");
        }
        X509Certificate server = chain.get(0);
        if (!PemContent.pair(key.get(), server.getPublicKey())) {
            return Verdict.unmet(Reasons.CERTIFICATE_KEY_MISMATCH, "Secret " + name + ": " + PodContract.TLS_KEY_KEY
                    + " is not the key of the first certificate of " + PodContract.TLS_CERT_KEY + " (" + subject(server) + ")");
        }
        Instant notAfter = server.getNotAfter().toInstant().truncatedTo(ChronoUnit.SECONDS);
        if (notAfter.isBefore(now)) {
            return Verdict.unmet(Reasons.CERTIFICATE_EXPIRED, "Secret " + name + ": the certificate " + subject(server)
                    + " expired at " + notAfter);
        }
        return Verdict.met(Reasons.CERTIFICATE_VALID, "HTTPS with the certificate of Secret " + name + " for "
                + String.join(", ", dnsNames(server)) + ", valid until " + notAfter);
    }

    /** With spec.tls.issuerRef, after the workflow: the Certificate's Ready condition, as cert-manager set it. */
    static Optional<Verdict> issued(Registry registry, Context<Registry> context) {
        TlsSpec tls = registry.getSpec().tls;
        if (tls == null || tls.issuerRef == null) {
            return Optional.empty();
        }
        String secret = FleetNames.tlsSecret(registry);
        Certificate certificate = context.getClient().resources(Certificate.class)
                .inNamespace(registry.getMetadata().getNamespace()).withName(FleetNames.certificate(registry)).get();
        Optional<Condition> ready = Optional.ofNullable(certificate).map(Certificate::getStatus).flatMap(s -> s.ready());
        if (ready.isPresent() && "True".equals(ready.get().getStatus())) {
            String until = certificate.getStatus().notAfter == null ? "" : ", valid until " + certificate.getStatus().notAfter;
            return Optional.of(Verdict.met(Reasons.CERTIFICATE_ISSUED, "HTTPS with the certificate cert-manager issued into Secret "
                    + secret + until));
        }
        return Optional.of(Verdict.unmet(Reasons.CERTIFICATE_NOT_READY, "cert-manager has not issued Secret " + secret
                + " yet (" + tls.issuerRef.kind + " " + tls.issuerRef.name + ")"
                + ready.map(c -> ": " + c.getReason() + (c.getMessage() == null ? "" : ", " + c.getMessage())).orElse("")
                + "; new pods wait for it"));
    }

    private static List<String> dnsNames(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                alternatives.stream().filter(n -> n.size() == 2 && (Integer.valueOf(2).equals(n.get(0)) || Integer.valueOf(7).equals(n.get(0))))
                        .map(n -> String.valueOf(n.get(1))).forEach(names::add);
            }
        } catch (CertificateParsingException e) {
            // the subject below names it
        }
        return names.isEmpty() ? List.of(subject(certificate)) : names;
    }

    private static String subject(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName();
    }
}
