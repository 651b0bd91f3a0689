package io.regfleet.registry.blob;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Where the registry keeps blob bytes ({@code regfleet.storage.*}, or the {@code REGFLEET_STORAGE_*} variables). */
@ConfigMapping(prefix = "regfleet.storage")
public interface StorageConfig {

    /** The blob store driver: {@code filesystem} (a local or shared folder) or {@code s3}. */
    @WithDefault("filesystem")
    Driver driver();

    /** Settings of the {@code filesystem} driver. */
    Filesystem filesystem();

    /** Settings of the {@code s3} driver. */
    S3 s3();

    enum Driver {
        FILESYSTEM,
        S3
    }

    interface Filesystem {
        /** The folder that holds {@code blobs/} and {@code uploads/}; every replica must see the same folder. */
        @WithDefault(".regfleet/blobs")
        String root();
    }

    interface S3 {
        /** The bucket that holds the blobs; required by the {@code s3} driver. */
        Optional<String> bucket();

        /** The bucket's AWS region (also used to sign requests to S3-compatible stores). */
        @WithDefault("us-east-1")
        String region();

        /** The endpoint of an S3-compatible store (e.g. {@code http://minio:9000}); absent for AWS S3 itself. */
        Optional<String> endpoint();

        /** Addresses the bucket in the path ({@code host/bucket/key}) rather than the host name; most S3-compatible stores need it. */
        @WithDefault("false")
        boolean pathStyle();

        /** A static access key id; when absent (with the secret), the AWS default credentials provider chain is used. */
        Optional<String> accessKeyId();

        /** The secret of {@link #accessKeyId()}; set both or neither. */
        Optional<String> secretAccessKey();

        /** A key prefix under which all of this registry's objects live (a trailing {@code /} is added); empty for none. */
        Optional<String> prefix();

        /** Bytes per part of chunked uploads, from 5 MiB (S3's minimum) to 5 GiB; each append buffers up to one part in memory. */
        @WithDefault("8388608")
        long partSize();

        /**
         * Answer a blob GET with 307 to a presigned GET URL of its object, so the client fetches the bytes from S3
         * and the pod does not proxy them. Off by default: clients must reach the S3 endpoint themselves.
         */
        @WithDefault("false")
        boolean redirect();

        /** How long a redirect's presigned URL stays valid, from 1 second to 7 days. */
        @WithDefault("15M")
        @WithConverter(DurationConverter.class) // "15M" as Quarkus reads it, also where the mapping is built alone
        Duration redirectExpiry();
    }
}
