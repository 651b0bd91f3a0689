package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.regfleet.fleet.PodContract;
import io.regfleet.fleet.PodSetting;
import io.regfleet.operator.api.v1alpha1.AuthSpec;
import io.regfleet.operator.api.v1alpha1.OidcSpec;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.naming.FleetNames;

import java.util.ArrayList;
import java.util.List;

/**
 * What only the serving pods get: access control (the users Secret, the operator's token key, an OIDC issuer's keys)
 * and TLS. Each file comes from a whole Secret volume, which the kubelet updates in place when the Secret changes (a
 * subPath mount or an env var would not), and the runtime re-reads it: a rotation needs no restart. The settings that
 * name the files are the registry container's own env, not the runtime ConfigMap's, so the migration and verify Jobs,
 * which share that ConfigMap, never look for files they do not mount.
 */
public final class ServingPod {
    private static final String USERS = "auth-users", TOKEN_KEY = "auth-token-key", JWKS = "auth-oidc-jwks", TLS = "tls";

    private ServingPod() {
    }

    public static boolean tls(Registry registry) {
        return registry.getSpec().tls != null;
    }

    /** The settings that turn access control and TLS on, naming the mounted files. */
    static List<EnvVar> env(Registry registry) {
        List<EnvVar> env = new ArrayList<>();
        AuthSpec auth = registry.getSpec().auth;
        if (auth != null) {
            env.add(RegistryPods.env(PodSetting.AUTH_ENABLED, "true"));
            env.add(RegistryPods.env(PodSetting.AUTH_SIGNING_KEY_FILE, PodContract.SIGNING_KEY_FILE));
            env.add(RegistryPods.env(PodSetting.AUTH_VERIFY_KEY_FILE, PodContract.VERIFY_KEYS_FILE));
            if (present(auth.usersSecret)) {
                env.add(RegistryPods.env(PodSetting.AUTH_USERS_FILE, PodContract.USERS_FILE));
            }
            if (auth.hasRules()) {
                env.add(RegistryPods.env(PodSetting.AUTH_RULES_FILE, PodContract.ACCESS_RULES_FILE));
            }
            if (present(auth.realm)) {
                env.add(RegistryPods.env(PodSetting.AUTH_REALM, auth.realm));
            }
            if (auth.oidc != null) {
                env.addAll(oidcEnv(auth.oidc));
            }
        }
        if (tls(registry)) {
            env.add(RegistryPods.env(PodSetting.TLS_CERT_FILE, PodContract.TLS_CERT_FILE));
            env.add(RegistryPods.env(PodSetting.TLS_KEY_FILE, PodContract.TLS_KEY_FILE));
        }
        return env;
    }

    private static List<EnvVar> oidcEnv(OidcSpec oidc) {
        List<EnvVar> env = new ArrayList<>();
        env.add(RegistryPods.env(PodSetting.AUTH_OIDC_ISSUER, oidc.issuer));
        if (present(oidc.audience)) {
            env.add(RegistryPods.env(PodSetting.AUTH_OIDC_AUDIENCE, oidc.audience));
        }
        if (present(oidc.usernameClaim)) {
            env.add(RegistryPods.env(PodSetting.AUTH_OIDC_USERNAME_CLAIM, oidc.usernameClaim));
        }
        if (present(oidc.groupsClaim)) {
            env.add(RegistryPods.env(PodSetting.AUTH_OIDC_GROUPS_CLAIM, oidc.groupsClaim));
        }
        if (present(oidc.jwksSecret)) {
            env.add(RegistryPods.env(PodSetting.AUTH_OIDC_JWKS_FILE, PodContract.JWKS_FILE));
        }
        return env;
    }

    /** The Secret volumes of those files. */
    static List<Volume> volumes(Registry registry) {
        List<Volume> volumes = new ArrayList<>();
        AuthSpec auth = registry.getSpec().auth;
        if (auth != null) {
            volumes.add(secretVolume(TOKEN_KEY, FleetNames.tokenKeySecret(registry), PodContract.SIGNING_KEY_KEY,
                    PodContract.VERIFY_KEYS_KEY));
            if (present(auth.usersSecret)) {
                volumes.add(secretVolume(USERS, auth.usersSecret, PodContract.USERS_KEY));
            }
            if (auth.oidc != null && present(auth.oidc.jwksSecret)) {
                volumes.add(secretVolume(JWKS, auth.oidc.jwksSecret, PodContract.JWKS_KEY));
            }
        }
        if (tls(registry)) {
            volumes.add(secretVolume(TLS, FleetNames.tlsSecret(registry), PodContract.TLS_CERT_KEY, PodContract.TLS_KEY_KEY));
        }
        return volumes;
    }

    /** Where the registry container mounts them: whole directories, read-only. */
    static List<VolumeMount> mounts(Registry registry) {
        List<VolumeMount> mounts = new ArrayList<>();
        for (Volume volume : volumes(registry)) {
            String path = switch (volume.getName()) {
                case TOKEN_KEY -> PodContract.SIGNING_DIR;
                case USERS -> PodContract.USERS_DIR;
                case JWKS -> PodContract.OIDC_DIR;
                default -> PodContract.TLS_DIR;
            };
            mounts.add(new VolumeMountBuilder().withName(volume.getName()).withMountPath(path).withReadOnly(true).build());
        }
        return mounts;
    }

    private static Volume secretVolume(String name, String secret, String... keys) {
        List<KeyToPath> items = new ArrayList<>();
        for (String key : keys) {
            items.add(new KeyToPath(key, null, key));
        }
        return new VolumeBuilder().withName(name)
                .withNewSecret().withSecretName(secret).withDefaultMode(0440).withItems(items).endSecret().build();
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
