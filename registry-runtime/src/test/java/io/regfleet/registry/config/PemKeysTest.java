package io.regfleet.registry.config;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Keys as openssl writes them (generated once for this test with openssl 3: {@code ecparam -genkey}, {@code ec
 * -no_public}, {@code pkcs8 -topk8}, {@code genrsa -traditional}); the public key derived from each private key is the
 * one {@code openssl ... -pubout} wrote.
 */
class PemKeysTest {
    /** openssl ecparam -name prime256v1 -genkey -noout (SEC1, public key included). */
    static final String EC_SEC1 = """
-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIDVz6F7WOsMK88ongbufkaHxCWD0hmAQgGPVixm6Q+TsoAoGCCqGSM49
AwEHoUQDQgAE/LCC4l3jeRlTF6bArowT3ZLKJ9sBsZyB1IOpawyjC3yu94YbTmU/
kZHV7D4L0xeGz80ZRuHCayaaxiMHEd2mxw==
-----END EC PRIVATE KEY-----
""";
    /** The same key without its public part (openssl ec -no_public). */
    static final String EC_SEC1_NO_PUBLIC = """
-----BEGIN EC PRIVATE KEY-----
MDECAQEEIDVz6F7WOsMK88ongbufkaHxCWD0hmAQgGPVixm6Q+TsoAoGCCqGSM49
AwEH
-----END EC PRIVATE KEY-----
""";
    /** The same key in PKCS#8 without its public part (openssl pkcs8 -topk8 -nocrypt). */
    static final String EC_PKCS8_NO_PUBLIC = """
-----BEGIN PRIVATE KEY-----
MEECAQAwEwYHKoZIzj0CAQYIKoZIzj0DAQcEJzAlAgEBBCA1c+he1jrDCvPKJ4G7
n5Gh8Qlg9IZgEIBj1YsZukPk7A==
-----END PRIVATE KEY-----
""";
    /** openssl ec -pubout of that key. */
    static final String EC_PUBLIC = """
-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE/LCC4l3jeRlTF6bArowT3ZLKJ9sB
sZyB1IOpawyjC3yu94YbTmU/kZHV7D4L0xeGz80ZRuHCayaaxiMHEd2mxw==
-----END PUBLIC KEY-----
""";
    /** openssl genrsa -traditional 2048 (PKCS#1). */
    static final String RSA_PKCS1 = """
-----BEGIN RSA PRIVATE KEY-----
MIIEpAIBAAKCAQEAsJ062INg3UvSCpVTf3xsrOEwfWlsKTi731o9H3YHJk64S2ui
nc2HaEFs1d/rgZNAs0N2ga+b4xMdMs65wMB0sOK7u+BhGbCrVtR5rhyNmsJuR76w
GAHDQLIPEd1yjfVccN12OcEGjZZV+bZKWSke4tkLDeUcW4i94c3WCrD5gZGPS5qr
ThV9Hms5WoKH0xE5X8EuR/VjLjqtnkBhrFiqD/3HdV6HI/bknT7NMW5fKKRNZQza
qhSt1LL4tL5+/uP8Fm2SDNV48nt/l4yROl5U2pAyEAjnsGlt7knOr7ILMbMt2LkF
VO6xRhycsq6Z5rp3E2QUAjvt7yxHzB/bniwUFQIDAQABAoIBAAJjwjvTPUCJSdiE
UDqpnZPSQTR1NHYzUxFw2GJgV7TsPECi/nKJqSMfPYCAVOCuNCIoz8Xt8RtHsy2w
j+FciUeqbbVbUh0Fn6/fVJ0nPEBDkLfuS9YrUe/CaQNKHoZuszdAu9yIsNTCG7wy
+/sMXCNgIe7ocnOHnGAdh5+h6OJYptVdNt/o7eZYo71WKyvVLslmuHV5Vp4J4xdN
+YTcJJK2uGc/5hZYL/i3mb7GXzRetphMqFq4DSU4ohPGgDZSElrSy0HHopstBLEW
2l0f24CkkD3JD+0MOiqybe4YR/+2Xs0M9FeObF0Mx8Vp04b3WNf7rG0KSHV1rZDn
0pZi3gkCgYEA5O4YGWlzHtnHLJpF6hRkXT/VJ8pkaz5fEa06L8A0ZDx50qgdxdQj
R4wAQLb2OLA+0SN1QuPxFkjQbIeXfUgw9Xq6/eSxNpIyKysNOcrID1yBT95xvWVK
ztrfFqSq54SdBp6i4LVwpNejvioMG7T4HFkHQ1lnFwYrHSW0BLHSZm0CgYEAxX99
cuUNPX5wyB7iCTYFPPUe8rsd5bZoBYxlJ4FHJue2J8Pa9xVJYcSlsh3orMmwDQhu
DHE3xIEM+MCCKmYkywXk7skevB2P4bVzvDJkXOBpbDvAYzTrBwcenHc6NhUN6+xI
HkTEAgvXZXFLZX+rvyurlTLpVkx+F3/8HeHA+0kCgYEAoabyg3cvoBg9iWRCfCD8
IdCCLn++2u+G6A9/J9q75A/EIhkuNNQwOURFpWzMfokNQlacZahZQ9gUvJ4ePYvt
blnEkqWa8SLYpBzZUPa8wAQdF43GmOteoKRypSWPvL2qt9Lqxmu4Z94RNKWyORpX
nITNGSSXI+3qIcHO1QXPwR0CgYAIlec9NGnj73g1quoGnnuRz9IdmTbOgqR5AUZw
djVCorYPenstXJaJEoRlftlbkZT+rAwkrFNRTo7izXObJj+ZN9Ng8gtNADf+BuZW
Gxaz1umeU+akKWvCLXQONzynlzi4tdfYwQKIWD1v4oH1kpxDvkFCRilQoBinKuAp
6GN8SQKBgQCwV4D9TcW0s4bZAlO6hrEH5K6XkwpeJsJJGoq9h7iZQ6dtmwE4fAKF
N6edJlB+swKOM7QCluOSf6UaY4UWr6IGSdDDLDRQzc+w5fOclhMNWpxfNNt1O69x
lEW0dEq+lfWVJpoPC+XKzGJFRZYLJVjggcfGCFtXoqJIW/uGWXEh1A==
-----END RSA PRIVATE KEY-----
""";
    /** openssl rsa -pubout of that key. */
    static final String RSA_PUBLIC = """
-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAsJ062INg3UvSCpVTf3xs
rOEwfWlsKTi731o9H3YHJk64S2uinc2HaEFs1d/rgZNAs0N2ga+b4xMdMs65wMB0
sOK7u+BhGbCrVtR5rhyNmsJuR76wGAHDQLIPEd1yjfVccN12OcEGjZZV+bZKWSke
4tkLDeUcW4i94c3WCrD5gZGPS5qrThV9Hms5WoKH0xE5X8EuR/VjLjqtnkBhrFiq
D/3HdV6HI/bknT7NMW5fKKRNZQzaqhSt1LL4tL5+/uP8Fm2SDNV48nt/l4yROl5U
2pAyEAjnsGlt7knOr7ILMbMt2LkFVO6xRhycsq6Z5rp3E2QUAjvt7yxHzB/bniwU
FQIDAQAB
-----END PUBLIC KEY-----
""";

    private static byte[] bytes(String pem) {
        return pem.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void theEcPublicKeyIsDerivedWhateverTheEncodingOfThePrivateKey() throws Exception {
        PublicKey expected = PemKeys.publicKeys(bytes(EC_PUBLIC)).getFirst();
        for (String pem : new String[]{EC_SEC1, EC_SEC1_NO_PUBLIC, EC_PKCS8_NO_PUBLIC}) {
            KeyPair pair = PemKeys.keyPair(bytes(pem));
            assertEquals("EC", pair.getPrivate().getAlgorithm());
            assertArrayEquals(expected.getEncoded(), pair.getPublic().getEncoded());
        }
    }

    @Test
    void theRsaPublicKeyIsDerivedFromAPkcs1Key() throws Exception {
        KeyPair pair = PemKeys.keyPair(bytes(RSA_PKCS1));
        assertArrayEquals(PemKeys.publicKeys(bytes(RSA_PUBLIC)).getFirst().getEncoded(), pair.getPublic().getEncoded());
    }

    @Test
    void textWithoutTheKeyAskedForIsRefusedWithAReason() {
        assertEquals("no private key (PEM: PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY)",
                assertThrows(IllegalArgumentException.class, () -> PemKeys.keyPair(bytes(EC_PUBLIC))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> PemKeys.publicKeys(bytes("not PEM at all")));
        assertThrows(Exception.class, () -> PemKeys.keyPair(bytes("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")));
    }
}
