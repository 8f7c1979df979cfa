package io.s3d.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CrcCombineTest {
    @Test
    void combinedPiecesEqualTheChecksumOfTheWhole() {
        Random random = new Random(5);
        for (ChecksumAlgorithm algorithm : List.of(ChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32C,
                ChecksumAlgorithm.CRC64NVME)) {
            byte[] whole = new byte[300_000];
            random.nextBytes(whole);
            int[] cuts = { 0, 1, 65_536, 65_537, 200_000, 300_000 };
            List<CrcCombine.Piece> pieces = new ArrayList<>();
            for (int i = 0; i + 1 < cuts.length; i++) {
                Hasher piece = algorithm.newHasher();
                piece.update(whole, cuts[i], cuts[i + 1] - cuts[i]);
                pieces.add(new CrcCombine.Piece(piece.digestBase64(), cuts[i + 1] - cuts[i]));
            }
            Hasher all = algorithm.newHasher();
            all.update(whole, 0, whole.length);
            assertThat(CrcCombine.fullObject(algorithm, pieces)).as(algorithm.name()).hasValue(all.digestBase64());
        }
        assertThat(CrcCombine.fullObject(ChecksumAlgorithm.SHA256, List.of())).isEmpty();
    }
}
