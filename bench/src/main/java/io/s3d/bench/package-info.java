/** The s3d benchmark suite. */
package io.s3d.bench;
