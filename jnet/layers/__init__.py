"""Keras's layers as Flax linen modules (``jnet.layers.Dense``, ``Conv2D``, ...)."""

from jnet.layers.activation_layers import ELU as ELU
from jnet.layers.activation_layers import LeakyReLU as LeakyReLU
from jnet.layers.activation_layers import PReLU as PReLU
from jnet.layers.activation_layers import ReLU as ReLU
from jnet.layers.activation_layers import Softmax as Softmax
from jnet.layers.adaptive_pooling import AdaptiveAveragePooling1D as AdaptiveAveragePooling1D
from jnet.layers.adaptive_pooling import AdaptiveAveragePooling2D as AdaptiveAveragePooling2D
from jnet.layers.adaptive_pooling import AdaptiveAveragePooling3D as AdaptiveAveragePooling3D
from jnet.layers.adaptive_pooling import AdaptiveMaxPooling1D as AdaptiveMaxPooling1D
from jnet.layers.adaptive_pooling import AdaptiveMaxPooling2D as AdaptiveMaxPooling2D
from jnet.layers.adaptive_pooling import AdaptiveMaxPooling3D as AdaptiveMaxPooling3D
from jnet.layers.attention import AdditiveAttention as AdditiveAttention
from jnet.layers.attention import Attention as Attention
from jnet.layers.aug_mix import AugMix as AugMix
from jnet.layers.augmentation import RandomContrast as RandomContrast
from jnet.layers.augmentation import RandomFlip as RandomFlip
from jnet.layers.augmentation import RandomRotation as RandomRotation
from jnet.layers.augmentation import RandomTranslation as RandomTranslation
from jnet.layers.augmentation import RandomZoom as RandomZoom
from jnet.layers.auto_contrast import AutoContrast as AutoContrast
from jnet.layers.base import Layer as Layer
from jnet.layers.category_encoding import CategoryEncoding as CategoryEncoding
from jnet.layers.clahe import (
    ContrastLimitedAdaptiveHistogramEqualization as ContrastLimitedAdaptiveHistogramEqualization,
)
from jnet.layers.color_augmentation import RandomBrightness as RandomBrightness
from jnet.layers.color_augmentation import RandomColorDegeneration as RandomColorDegeneration
from jnet.layers.color_augmentation import RandomColorJitter as RandomColorJitter
from jnet.layers.color_augmentation import RandomGrayscale as RandomGrayscale
from jnet.layers.color_augmentation import RandomHue as RandomHue
from jnet.layers.color_augmentation import RandomInvert as RandomInvert
from jnet.layers.color_augmentation import RandomPosterization as RandomPosterization
from jnet.layers.color_augmentation import RandomSaturation as RandomSaturation
from jnet.layers.color_augmentation import RandomSharpness as RandomSharpness
from jnet.layers.color_augmentation import Solarization as Solarization
from jnet.layers.conv_lstm import ConvLSTM1D as ConvLSTM1D
from jnet.layers.conv_lstm import ConvLSTM2D as ConvLSTM2D
from jnet.layers.conv_lstm import ConvLSTM3D as ConvLSTM3D
from jnet.layers.convolutional import Conv1D as Conv1D
from jnet.layers.convolutional import Conv1DTranspose as Conv1DTranspose
from jnet.layers.convolutional import Conv2D as Conv2D
from jnet.layers.convolutional import Conv2DTranspose as Conv2DTranspose
from jnet.layers.convolutional import Conv3D as Conv3D
from jnet.layers.convolutional import Conv3DTranspose as Conv3DTranspose
from jnet.layers.convolutional import Convolution1D as Convolution1D
from jnet.layers.convolutional import Convolution1DTranspose as Convolution1DTranspose
from jnet.layers.convolutional import Convolution2D as Convolution2D
from jnet.layers.convolutional import Convolution2DTranspose as Convolution2DTranspose
from jnet.layers.convolutional import Convolution3D as Convolution3D
from jnet.layers.convolutional import Convolution3DTranspose as Convolution3DTranspose
from jnet.layers.convolutional import DepthwiseConv1D as DepthwiseConv1D
from jnet.layers.convolutional import DepthwiseConv2D as DepthwiseConv2D
from jnet.layers.convolutional import SeparableConv1D as SeparableConv1D
from jnet.layers.convolutional import SeparableConv2D as SeparableConv2D
from jnet.layers.convolutional import SeparableConvolution1D as SeparableConvolution1D
from jnet.layers.convolutional import SeparableConvolution2D as SeparableConvolution2D
from jnet.layers.core import Activation as Activation
from jnet.layers.core import Dense as Dense
from jnet.layers.core import Identity as Identity
from jnet.layers.discretization import Discretization as Discretization
from jnet.layers.einsum_dense import EinsumDense as EinsumDense
from jnet.layers.embedding import Embedding as Embedding
from jnet.layers.equalization import Equalization as Equalization
from jnet.layers.group_normalization import GroupNormalization as GroupNormalization
from jnet.layers.grouped_query_attention import GroupedQueryAttention as GroupQueryAttention
from jnet.layers.hashing import HashedCrossing as HashedCrossing
from jnet.layers.hashing import Hashing as Hashing
from jnet.layers.input import Input as Input
from jnet.layers.input import InputLayer as InputLayer
from jnet.layers.input import KerasTensor as KerasTensor
from jnet.layers.input_spec import InputSpec as InputSpec
from jnet.layers.jax_layer import FlaxLayer as FlaxLayer
from jnet.layers.jax_layer import JaxLayer as JaxLayer
from jnet.layers.keras_layer import KerasLayer as KerasLayer  # registers the Keras-style base
from jnet.layers.lambda_layer import Lambda as Lambda
from jnet.layers.lookup import IntegerLookup as IntegerLookup
from jnet.layers.lookup import StringLookup as StringLookup
from jnet.layers.masking import Masking as Masking
from jnet.layers.max_num_bounding_boxes import MaxNumBoundingBoxes as MaxNumBoundingBoxes
from jnet.layers.mel_spectrogram import MelSpectrogram as MelSpectrogram
from jnet.layers.merging import Add as Add
from jnet.layers.merging import Average as Average
from jnet.layers.merging import Concatenate as Concatenate
from jnet.layers.merging import Dot as Dot
from jnet.layers.merging import Maximum as Maximum
from jnet.layers.merging import Minimum as Minimum
from jnet.layers.merging import Multiply as Multiply
from jnet.layers.merging import Subtract as Subtract
from jnet.layers.merging import add as add
from jnet.layers.merging import average as average
from jnet.layers.merging import concatenate as concatenate
from jnet.layers.merging import dot as dot
from jnet.layers.merging import maximum as maximum
from jnet.layers.merging import minimum as minimum
from jnet.layers.merging import multiply as multiply
from jnet.layers.merging import subtract as subtract
from jnet.layers.mixing import CutMix as CutMix
from jnet.layers.mixing import MixUp as MixUp
from jnet.layers.multi_head_attention import MultiHeadAttention as MultiHeadAttention
from jnet.layers.normalization import BatchNormalization as BatchNormalization
from jnet.layers.normalization import LayerNormalization as LayerNormalization
from jnet.layers.normalization_preprocessing import Normalization as Normalization
from jnet.layers.pipeline import Pipeline as Pipeline
from jnet.layers.pooling import AveragePooling1D as AveragePooling1D
from jnet.layers.pooling import AveragePooling2D as AveragePooling2D
from jnet.layers.pooling import AvgPool1D as AvgPool1D
from jnet.layers.pooling import AvgPool2D as AvgPool2D
from jnet.layers.pooling import GlobalAveragePooling1D as GlobalAveragePooling1D
from jnet.layers.pooling import GlobalAveragePooling2D as GlobalAveragePooling2D
from jnet.layers.pooling import GlobalAvgPool1D as GlobalAvgPool1D
from jnet.layers.pooling import GlobalAvgPool2D as GlobalAvgPool2D
from jnet.layers.pooling import GlobalMaxPool1D as GlobalMaxPool1D
from jnet.layers.pooling import GlobalMaxPool2D as GlobalMaxPool2D
from jnet.layers.pooling import GlobalMaxPooling1D as GlobalMaxPooling1D
from jnet.layers.pooling import GlobalMaxPooling2D as GlobalMaxPooling2D
from jnet.layers.pooling import MaxPool1D as MaxPool1D
from jnet.layers.pooling import MaxPool2D as MaxPool2D
from jnet.layers.pooling import MaxPooling1D as MaxPooling1D
from jnet.layers.pooling import MaxPooling2D as MaxPooling2D
from jnet.layers.pooling3d import AveragePooling3D as AveragePooling3D
from jnet.layers.pooling3d import AvgPool3D as AvgPool3D
from jnet.layers.pooling3d import GlobalAveragePooling3D as GlobalAveragePooling3D
from jnet.layers.pooling3d import GlobalAvgPool3D as GlobalAvgPool3D
from jnet.layers.pooling3d import GlobalMaxPool3D as GlobalMaxPool3D
from jnet.layers.pooling3d import GlobalMaxPooling3D as GlobalMaxPooling3D
from jnet.layers.pooling3d import MaxPool3D as MaxPool3D
from jnet.layers.pooling3d import MaxPooling3D as MaxPooling3D
from jnet.layers.rand_augment import RandAugment as RandAugment
from jnet.layers.random_elastic_transform import RandomElasticTransform as RandomElasticTransform
from jnet.layers.random_erasing import RandomErasing as RandomErasing
from jnet.layers.random_gaussian_blur import RandomGaussianBlur as RandomGaussianBlur
from jnet.layers.random_perspective import RandomPerspective as RandomPerspective
from jnet.layers.random_shear import RandomShear as RandomShear
from jnet.layers.recurrent import GRU as GRU
from jnet.layers.recurrent import LSTM as LSTM
from jnet.layers.recurrent import SimpleRNN as SimpleRNN
from jnet.layers.regularization import ActivityRegularization as ActivityRegularization
from jnet.layers.regularization import AlphaDropout as AlphaDropout
from jnet.layers.regularization import Dropout as Dropout
from jnet.layers.regularization import GaussianDropout as GaussianDropout
from jnet.layers.regularization import GaussianNoise as GaussianNoise
from jnet.layers.regularization import SpatialDropout1D as SpatialDropout1D
from jnet.layers.regularization import SpatialDropout2D as SpatialDropout2D
from jnet.layers.regularization import SpatialDropout3D as SpatialDropout3D
from jnet.layers.rescaling import Rescaling as Rescaling
from jnet.layers.reshaping import Flatten as Flatten
from jnet.layers.reshaping import Permute as Permute
from jnet.layers.reshaping import RepeatVector as RepeatVector
from jnet.layers.reshaping import Reshape as Reshape
from jnet.layers.resizing import CenterCrop as CenterCrop
from jnet.layers.resizing import RandomCrop as RandomCrop
from jnet.layers.resizing import Resizing as Resizing
from jnet.layers.reversible_embedding import ReversibleEmbedding as ReversibleEmbedding
from jnet.layers.rms_normalization import RMSNormalization as RMSNormalization
from jnet.layers.rnn import RNN as RNN
from jnet.layers.rnn import StackedRNNCells as StackedRNNCells
from jnet.layers.rnn_cells import GRUCell as GRUCell
from jnet.layers.rnn_cells import LSTMCell as LSTMCell
from jnet.layers.rnn_cells import SimpleRNNCell as SimpleRNNCell
from jnet.layers.spatial_reshaping import Cropping1D as Cropping1D
from jnet.layers.spatial_reshaping import Cropping2D as Cropping2D
from jnet.layers.spatial_reshaping import Cropping3D as Cropping3D
from jnet.layers.spatial_reshaping import UpSampling1D as UpSampling1D
from jnet.layers.spatial_reshaping import UpSampling2D as UpSampling2D
from jnet.layers.spatial_reshaping import UpSampling3D as UpSampling3D
from jnet.layers.spatial_reshaping import ZeroPadding1D as ZeroPadding1D
from jnet.layers.spatial_reshaping import ZeroPadding2D as ZeroPadding2D
from jnet.layers.spatial_reshaping import ZeroPadding3D as ZeroPadding3D
from jnet.layers.spectral_normalization import SpectralNormalization as SpectralNormalization
from jnet.layers.stft_spectrogram import STFTSpectrogram as STFTSpectrogram
from jnet.layers.text_vectorization import TextVectorization as TextVectorization
from jnet.layers.unit_normalization import UnitNormalization as UnitNormalization
from jnet.layers.wrapper import Wrapper as Wrapper
from jnet.layers.wrappers import Bidirectional as Bidirectional
from jnet.layers.wrappers import TimeDistributed as TimeDistributed

__all__ = [
    "MaxNumBoundingBoxes",
    "AugMix",
    "RandAugment",
    "RandomElasticTransform",
    "RandomPerspective",
    "ContrastLimitedAdaptiveHistogramEqualization",
    "STFTSpectrogram",
    "MelSpectrogram",
    "RandomErasing",
    "RandomShear",
    "RandomGaussianBlur",
    "MixUp",
    "CutMix",
    "Equalization",
    "Solarization",
    "RandomSharpness",
    "RandomSaturation",
    "RandomPosterization",
    "RandomInvert",
    "RandomHue",
    "RandomGrayscale",
    "RandomColorJitter",
    "RandomColorDegeneration",
    "RandomBrightness",
    "AutoContrast",
    "Pipeline",
    "StringLookup",
    "IntegerLookup",
    "JaxLayer",
    "Hashing",
    "HashedCrossing",
    "Resizing",
    "RandomCrop",
    "Discretization",
    "CenterCrop",
    "CategoryEncoding",
    "Activation",
    "ActivityRegularization",
    "AdaptiveAveragePooling1D",
    "AdaptiveAveragePooling2D",
    "AdaptiveAveragePooling3D",
    "AdaptiveMaxPooling1D",
    "AdaptiveMaxPooling2D",
    "AdaptiveMaxPooling3D",
    "Add",
    "AlphaDropout",
    "AdditiveAttention",
    "Attention",
    "Average",
    "AveragePooling1D",
    "AveragePooling2D",
    "AveragePooling3D",
    "AvgPool1D",
    "AvgPool2D",
    "AvgPool3D",
    "BatchNormalization",
    "Bidirectional",
    "Concatenate",
    "Conv1D",
    "Conv1DTranspose",
    "Conv2D",
    "Conv2DTranspose",
    "Conv3D",
    "Conv3DTranspose",
    "ConvLSTM1D",
    "ConvLSTM2D",
    "ConvLSTM3D",
    "Convolution1D",
    "Convolution1DTranspose",
    "Convolution2D",
    "Convolution2DTranspose",
    "Convolution3D",
    "Convolution3DTranspose",
    "Cropping1D",
    "Cropping2D",
    "Cropping3D",
    "Dense",
    "DepthwiseConv1D",
    "DepthwiseConv2D",
    "Dot",
    "Dropout",
    "ELU",
    "EinsumDense",
    "Embedding",
    "Flatten",
    "FlaxLayer",
    "GRU",
    "GRUCell",
    "GaussianDropout",
    "GaussianNoise",
    "GlobalAveragePooling1D",
    "GlobalAveragePooling2D",
    "GlobalAveragePooling3D",
    "GlobalAvgPool1D",
    "GlobalAvgPool2D",
    "GlobalAvgPool3D",
    "GlobalMaxPool1D",
    "GlobalMaxPool2D",
    "GlobalMaxPool3D",
    "GlobalMaxPooling1D",
    "GlobalMaxPooling2D",
    "GlobalMaxPooling3D",
    "GroupNormalization",
    "GroupQueryAttention",
    "Identity",
    "Input",
    "InputLayer",
    "InputSpec",
    "KerasTensor",
    "LSTM",
    "LSTMCell",
    "Lambda",
    "Layer",
    "LayerNormalization",
    "LeakyReLU",
    "Masking",
    "MaxPool1D",
    "MaxPool2D",
    "MaxPool3D",
    "MaxPooling1D",
    "MaxPooling2D",
    "MaxPooling3D",
    "Maximum",
    "Minimum",
    "MultiHeadAttention",
    "Normalization",
    "Multiply",
    "PReLU",
    "Permute",
    "RMSNormalization",
    "ReversibleEmbedding",
    "RNN",
    "RandomContrast",
    "RandomFlip",
    "RandomRotation",
    "RandomTranslation",
    "RandomZoom",
    "ReLU",
    "RepeatVector",
    "Rescaling",
    "Reshape",
    "SeparableConv1D",
    "SeparableConv2D",
    "SeparableConvolution1D",
    "SeparableConvolution2D",
    "SimpleRNN",
    "SimpleRNNCell",
    "Softmax",
    "SpatialDropout1D",
    "SpatialDropout2D",
    "SpatialDropout3D",
    "SpectralNormalization",
    "StackedRNNCells",
    "Subtract",
    "TextVectorization",
    "TimeDistributed",
    "UnitNormalization",
    "UpSampling1D",
    "UpSampling2D",
    "UpSampling3D",
    "Wrapper",
    "ZeroPadding1D",
    "ZeroPadding2D",
    "ZeroPadding3D",
    "add",
    "average",
    "concatenate",
    "dot",
    "maximum",
    "minimum",
    "multiply",
    "subtract",
]
