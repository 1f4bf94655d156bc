"""The Wan2.2 VAE of the 5B WorldPlay model (diffusers AutoencoderKLWan as Wan2.2-TI2V-5B configures it) as
PyTorch modules with the published checkpoint's parameter names, and its export to the bundle's VAE graphs."""
