package io.s3d.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;

/** {@code s3d set bucket[/key] --tag k=v --remove-tag k}: merge tags into an object's or bucket's. */
@Command(name = "set", mixinStandardHelpOptions = true,
        description = {"Set tags on an object (bucket/key) or a bucket, merged with the tags it already has.",
                "",
                "s3d reads its own tags: s3d.upload=true queues an object for upload to the remote, "
                        + "s3d.cache=pin keeps it in the read cache. The resulting tags are printed to "
                        + "standard error (standard output with --json)."},
        footerHeading = "%nExamples:%n",
        footer = {"  s3d set photos/cat.jpg --tag s3d.cache=pin        pin an object in the cache",
                "  s3d set photos --tag s3d.upload=true              tag a bucket",
                "  s3d set photos/cat.jpg --remove-tag s3d.cache     unpin",
                "  s3d set photos/cat.jpg --tag a=1 --tag b=2 --json"})
public class SetCommand extends S3Command {

    @Parameters(index = "0", paramLabel = "bucket[/key]", description = "The bucket or object to tag.")
    String location;

    @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "Add or replace this tag; repeatable.")
    Map<String, String> add = new LinkedHashMap<>();

    @Option(names = "--remove-tag", paramLabel = "KEY", description = "Remove this tag; repeatable.")
    List<String> remove = new ArrayList<>();

    @Override
    protected int execute() {
        S3Location loc = S3Location.parse(location);
        target = loc.toString();
        if (add.isEmpty() && remove.isEmpty()) {
            throw CliException.usage("nothing to set: give --tag KEY=VALUE or --remove-tag KEY");
        }
        for (String k : add.keySet()) {
            if (k.isEmpty()) {
                throw CliException.usage("--tag needs KEY=VALUE with a non-empty KEY");
            }
        }
        S3Client s3 = endpoint.client();
        Map<String, String> existing = new LinkedHashMap<>();
        if (loc.hasKey()) {
            s3.getObjectTagging(b -> b.bucket(loc.bucket()).key(loc.key())).tagSet()
                    .forEach(t -> existing.put(t.key(), t.value()));
        } else {
            try {
                s3.getBucketTagging(b -> b.bucket(loc.bucket())).tagSet().forEach(t -> existing.put(t.key(), t.value()));
            } catch (S3Exception e) {
                // a bucket without tags answers 404 NoSuchTagSet
                String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
                if (e.statusCode() != 404 || code == null || !code.startsWith("NoSuchTagSet")) {
                    throw e;
                }
            }
        }
        Map<String, String> tags = merge(existing, add, remove);
        List<Tag> tagSet = new ArrayList<>();
        tags.forEach((k, v) -> tagSet.add(Tag.builder().key(k).value(v).build()));
        if (loc.hasKey()) {
            s3.putObjectTagging(b -> b.bucket(loc.bucket()).key(loc.key()).tagging(t -> t.tagSet(tagSet)));
        } else if (tagSet.isEmpty()) {
            s3.deleteBucketTagging(b -> b.bucket(loc.bucket()));
        } else {
            s3.putBucketTagging(b -> b.bucket(loc.bucket()).tagging(t -> t.tagSet(tagSet)));
        }
        print(loc, tags);
        return ExitCodes.OK;
    }

    /** The existing tags, less the removed keys, plus the added ones (which replace equal keys). */
    static Map<String, String> merge(Map<String, String> existing, Map<String, String> add, List<String> remove) {
        Map<String, String> tags = new LinkedHashMap<>(existing);
        remove.forEach(tags::remove);
        tags.putAll(add);
        return tags;
    }

    private void print(S3Location loc, Map<String, String> tags) {
        if (output.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("bucket", loc.bucket());
            m.put("key", loc.hasKey() ? loc.key() : null);
            m.put("tags", tags);
            out().println(Json.write(m));
            out().flush();
        } else if (!output.quiet) {
            StringBuilder sb = new StringBuilder(loc.toString()).append(" tags:");
            if (tags.isEmpty()) {
                sb.append(" (none)");
            }
            tags.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
            err().println(sb);
            err().flush();
        }
    }
}
