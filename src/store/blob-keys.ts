/** Where each kind of object lives in the blob store. One place, so deletion finds everything. */
export const blobKeys = {
  upload: (tenantId: string, uploadId: string): string => `tenants/${tenantId}/uploads/${uploadId}`,
  jobPrefix: (tenantId: string, jobId: string): string => `tenants/${tenantId}/jobs/${jobId}/`,
};
