package io.s3d.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QueueFilterTest {

    @Test
    void anEmptyFilterQueuesEverything() {
        for (String text : new String[] { null, "", "   ", " , ,, " }) {
            QueueFilter filter = QueueFilter.parse(text);
            assertThat(filter.queuesEverything()).as("'%s'", text).isTrue();
            assertThat(filter.queues("any-bucket", "any/key")).isTrue();
            assertThat(filter.queues("logs", "")).isTrue();
        }
        assertThat(QueueFilter.parse("").toString()).isEqualTo("(everything)");
    }

    @Test
    void aBucketNameQueuesThatWholeBucketAndNoOther() {
        QueueFilter filter = QueueFilter.parse("logs");

        assertThat(filter.queuesEverything()).isFalse();
        assertThat(filter.queues("logs", "app.log")).isTrue();
        assertThat(filter.queues("logs", "2026/03/01/app.log")).isTrue();
        assertThat(filter.queues("logs2", "app.log")).isFalse();
        assertThat(filter.queues("xlogs", "app.log")).isFalse();
        assertThat(filter.queues("log", "s/app.log")).isFalse();
        assertThat(filter.queues("photos", "logs/app.log")).isFalse();
    }

    @Test
    void aBucketSlashPrefixQueuesOnlyKeysUnderThatPrefix() {
        QueueFilter filter = QueueFilter.parse("photos/raw/");

        assertThat(filter.queues("photos", "raw/img-1.cr2")).isTrue();
        assertThat(filter.queues("photos", "raw/2026/img-2.cr2")).isTrue();
        assertThat(filter.queues("photos", "raw/multi\nline")).isTrue();
        assertThat(filter.queues("photos", "raw")).isFalse();
        assertThat(filter.queues("photos", "rawhide/x")).isFalse();
        assertThat(filter.queues("photos", "cooked/img-1.jpg")).isFalse();
        assertThat(filter.queues("photos", "a/raw/img.cr2")).isFalse();
        assertThat(filter.queues("photos2", "raw/img-1.cr2")).isFalse();
    }

    @Test
    void starGlobsMatchAnyCharacters() {
        QueueFilter filter = QueueFilter.parse("*-edge/*.jpg");

        assertThat(filter.queues("eu-edge", "cam1.jpg")).isTrue();
        assertThat(filter.queues("us-edge", "2026/03/cam2.jpg")).isTrue();
        assertThat(filter.queues("-edge", ".jpg")).isTrue();
        assertThat(filter.queues("eu-edge", "cam1.png")).isFalse();
        assertThat(filter.queues("eu-core", "cam1.jpg")).isFalse();
        assertThat(filter.queues("eu-edge-2", "cam1.jpg")).isFalse();
    }

    @Test
    void aKeyPatternWithAStarMatchesTheWholeKey() {
        QueueFilter filter = QueueFilter.parse("*-edge/*.jpg");
        assertThat(filter.queues("eu-edge", "cam1.jpg")).isTrue();
        assertThat(filter.queues("eu-edge", "2026/11/cam1.jpg")).isTrue();
        assertThat(filter.queues("eu-edge", "cam1.jpg.part")).isFalse();
        assertThat(filter.queues("eu-edge", "cam1.jpgx/other.bin")).isFalse();
    }

    /** Bucket names never contain '/': a '*' in the bucket part stays in the bucket name. */
    @Test
    void aBucketStarNeverRunsIntoTheKey() {
        assertThat(QueueFilter.parse("*-edge/*.jpg").queues("photos", "cam-edge/a.jpg")).isFalse();
        assertThat(QueueFilter.parse("*-edge").queues("photos", "x-edge/y")).isFalse();
        assertThat(QueueFilter.parse("log*").queues("logs", "a")).isTrue();
        assertThat(QueueFilter.parse("*s").queues("photo", "s/x")).isFalse();
    }

    @Test
    void whitespaceAndEmptyEntriesAreIgnored() {
        QueueFilter filter = QueueFilter.parse("  logs ,, photos/raw/ ,  ,");

        assertThat(filter.queuesEverything()).isFalse();
        assertThat(filter.queues("logs", "a")).isTrue();
        assertThat(filter.queues("photos", "raw/a")).isTrue();
        assertThat(filter.queues("photos", "other/a")).isFalse();
        assertThat(filter.queues(" logs ", "a")).isFalse();
        assertThat(filter.toString()).isEqualTo("logs, photos/raw/");
    }

    @Test
    void regexCharactersInNamesAreLiteral() {
        QueueFilter filter = QueueFilter.parse("my.bucket/a+b(1){x}");

        assertThat(filter.queues("my.bucket", "a+b(1){x}/file")).isTrue();
        assertThat(filter.queues("myxbucket", "a+b(1){x}/file")).isFalse();
        assertThat(filter.queues("my.bucket", "aab(1)x/file")).isFalse();
        assertThat(QueueFilter.parse("a\\E.*").queues("a", "anything")).isFalse();
    }

    /** '[' starts a condition since the filter language came: a key pattern cannot hold one. */
    @Test
    void aBracketInAKeyPatternIsAConditionNow() {
        assertThatThrownBy(() -> QueueFilter.parse("my.bucket/a[x]"))
                .hasMessage("s3d.write-queue.filter (S3D_WRITE_QUEUE_FILTER): filter 'my.bucket/a[x]', column 13: "
                        + "expected 'tag:', 'hdr:' or 'md:' after '['");
    }

    @Test
    void anEntryStartingWithASlashIsRejectedNamingTheSetting() {
        assertThatThrownBy(() -> QueueFilter.parse("logs, /raw/"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("s3d.write-queue.filter")
                .hasMessageContaining("'/raw/'");
    }
}
