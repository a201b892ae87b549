package io.rayforce.cluster.coordinator.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster secret, what is derived from it, its files and tokens, and that none of them prints. */
class ClusterSecretTest {
    @TempDir
    Path dir;

    @Test
    void derivedValuesAreStableDistinctAndPerBoot() {
        byte[] raw = new byte[40];
        new SecureRandom().nextBytes(raw);
        ClusterSecret s = ClusterSecret.of(raw);
        ClusterSecret same = ClusterSecret.of(raw.clone());
        assertThat(same.enginePassword("n1", "b1")).isEqualTo(s.enginePassword("n1", "b1"));
        assertThat(same.internalToken()).isEqualTo(s.internalToken());
        assertThat(same).isEqualTo(s);
        Set<String> values = new HashSet<>(List.of(s.enginePassword("n1", "b1"), s.enginePassword("n1", "b2"),
                s.enginePassword("n2", "b1"), s.internalToken(), s.zooKeeperCredentials().password(), s.fingerprint()));
        assertThat(values).hasSize(6);
        assertThat(s.enginePassword("n1", "b1")).hasSize(43).doesNotContain(":");
        assertThat(ClusterSecret.generate().enginePassword("n1", "b1")).isNotEqualTo(s.enginePassword("n1", "b1"));
        assertThatThrownBy(() -> ClusterSecret.of(new byte[31])).hasMessageContaining("at least 32 bytes");
    }

    @Test
    void aSecretFileIsWrittenOwnerOnlyAndReadBack() throws Exception {
        Path f = dir.resolve("cluster.secret");
        String text = SecretFiles.randomText(32);
        SecretFiles.write(f, text, false);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        assertThat(SecretFiles.readableByOthers(f)).isFalse();
        ClusterSecret s = ClusterSecret.read(f);
        assertThat(s).isEqualTo(ClusterSecret.of(Base64.getUrlDecoder().decode(text)));
        assertThatThrownBy(() -> SecretFiles.write(f, "other", false)).hasMessageContaining("exists already");
        SecretFiles.write(f, SecretFiles.randomText(32), true);
        assertThat(ClusterSecret.read(f)).isNotEqualTo(s);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
    }

    @Test
    void shortMissingOrGarbledSecretsAreRefusedWithoutShowingThem() throws Exception {
        Path shortOne = dir.resolve("short");
        Files.writeString(shortOne, Base64.getEncoder().encodeToString(new byte[16]));
        assertThatThrownBy(() -> ClusterSecret.read(shortOne)).hasMessageContaining("16 bytes").hasMessageContaining("rfc secret generate");
        Path garbled = dir.resolve("garbled");
        Files.writeString(garbled, "not*base64*at*all-sekrit");
        assertThatThrownBy(() -> ClusterSecret.read(garbled)).hasMessageContaining("base64").hasMessageNotContaining("sekrit");
        assertThatThrownBy(() -> ClusterSecret.read(dir.resolve("missing"))).hasMessageContaining("cannot read the cluster secret file");
        Path empty = dir.resolve("empty");
        Files.writeString(empty, "\n");
        assertThatThrownBy(() -> ClusterSecret.read(empty)).hasMessageContaining("is empty");
    }

    @Test
    void tokensCompareByValueAndNothingPrintsASecret() throws Exception {
        ClusterSecret s = ClusterSecret.generate();
        AccessToken t = AccessToken.of("tok-123456");
        assertThat(t.matches("tok-123456")).isTrue();
        assertThat(t.matches(" tok-123456\n")).isTrue();
        assertThat(t.matches("tok-123457")).isFalse();
        assertThat(t.matches(null)).isFalse();
        Path certless = dir.resolve("ca.pem");
        Files.writeString(certless, "x");
        ClusterSecurity all = new ClusterSecurity(s, GrpcTls.client(certless), t);
        for (Object o : List.of(s, t, all, s.zooKeeperCredentials())) {
            assertThat(o.toString()).doesNotContain(s.internalToken(), s.zooKeeperCredentials().password(), "tok-123456",
                    s.enginePassword("n1", "b1"));
        }
        assertThat(all.toString()).contains(s.fingerprint(), "adminToken=***");
        assertThat(s.toString()).isEqualTo("ClusterSecret[fingerprint=" + s.fingerprint() + "]");
    }
}
